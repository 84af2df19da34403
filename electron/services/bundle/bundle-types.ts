import type { Signer } from '../../../shared/signing';
import type { CancelToken, ProgressListener } from '../../../shared/progress';
import type { ZipLimits } from './zip-limits';

export interface BundlePayloadItem {
  /** posix path under data/, e.g. "files/a.pdf" or "result-package.json" */
  path: string;
  source:
    | {
        kind: 'file';
        path: string;
        expectedSha256?: string;
        expectedSize?: number;
        /** The source is the `expectedSize` bytes of `path` from here (a copy in an intake pack). */
        offset?: number;
      }
    | { kind: 'bytes'; data: Uint8Array };
}

export interface WriteBundleInput {
  outPath: string;
  /** top-level folder in the zip, e.g. tokenops-<run_id> */
  bagName: string;
  /** extra bag-info.txt fields, e.g. External-Identifier */
  bagInfo: Record<string, string>;
  payload: BundlePayloadItem[];
  predicateType: string;
  predicate: unknown;
  signer: Signer;
  onProgress?: ProgressListener;
  cancel?: CancelToken;
  /**
   * Verify the finished file (verifyBundle, trusting only `signer`) before it takes its name, while it
   * is fsynced; a file that fails is removed. A copy whose bytes changed since it was added fails as
   * the `conflict` naming it, any other failure as `failed(report)`. With it, a source's expectedSha256
   * is not recomputed on the way in: the read-back checks every entry against the signed digests.
   * Default: no read-back, and every source is hashed as it is written.
   */
  selfVerify?: { failed(report: VerifyReport): Error };
}

export interface BundleSubject {
  name: string;
  digest: { sha256: string };
}

export interface WriteBundleResult {
  path: string;
  sha256: string;
  bytes: number;
  payloadOxum: string;
  subjects: BundleSubject[];
  signerKeyId: string;
  signerFingerprint?: string;
}

export type VerifyCheckId = 'zip_structure' | 'bag_manifests' | 'signature' | 'subjects';

export interface VerifyCheck {
  id: VerifyCheckId;
  ok: boolean;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  file: string;
  checks: VerifyCheck[];
  bagName?: string;
  signerKeyId?: string;
  signerFingerprint?: string;
  /** Whether the signer is trusted; only set when trustedKeyIds was given and the signature verified. */
  signerTrusted?: boolean;
  /** The bundled public key, once the signature verified with it (trusted or not). */
  signerPublicKeyPem?: string;
  statement?: unknown;
  payloadFiles?: number;
  payloadBytes?: number;
}

export interface VerifyOptions {
  limits?: Partial<ZipLimits>;
  trustedKeyIds?: string[];
  onProgress?: ProgressListener;
}
