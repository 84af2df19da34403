export type { KeyProtector } from './key-protector';
export { loadOrCreateSigner, type LoadedSigner } from './load-signer';
export { verifySignature } from './verify-signature';
export { fingerprintOf, keyIdOf } from './key-id';
