/** Re-exports for rules: secret detection lives in src/secrets.ts. */
export { findSecrets } from '../secrets.js';
export { sha256Hex } from '../policy/canonical.js';
