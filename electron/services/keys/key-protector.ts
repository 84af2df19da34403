/**
 * Optional wrapping of the private key at rest. The desktop app passes Electron's
 * safeStorage here (services must not import `electron`); the CLI passes nothing
 * and relies on a 0600 file, like ssh.
 */
export interface KeyProtector {
  encrypt(buf: Buffer): Buffer;
  decrypt(buf: Buffer): Buffer;
  /** False when the OS offers no keychain (e.g. Linux without a secret service). */
  available(): boolean;
}
