export { writeBundle } from './write-bundle';
export { verifyBundle } from './verify-bundle';
export type { BundlePayloadItem, WriteBundleInput, VerifyReport } from './bundle-types';
