/**
 * What signs: the run's Ed25519 key, held by services (never by the renderer).
 * Kept as an interface so ledgers and bundles do not care where the key lives
 * (a 0600 file for the CLI, Electron safeStorage in the app).
 */
export interface Signer {
  /** Stable id of the key: `ed25519:` + hex SHA-256 of the raw 32-byte public key. */
  readonly keyId: string;
  /** SPKI PEM of the public key, shipped beside every signature. */
  readonly publicKeyPem: string;
  sign(data: Uint8Array): Uint8Array;
}
