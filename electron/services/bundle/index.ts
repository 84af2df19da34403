export { writeBundle } from './write-bundle';
export { verifyBundle, DEFAULT_ZIP_LIMITS } from './verify-bundle';
export type {
  BundlePayloadItem,
  WriteBundleInput,
  WriteBundleResult,
  VerifyCheck,
  VerifyReport,
  VerifyOptions,
} from './bundle-types';
export type { ZipLimits } from './zip-limits';
