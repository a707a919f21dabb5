/** kiln's own version; a test keeps it equal to package.json's. */
export const KILN_VERSION = '0.1.0';

/**
 * The Packer version kiln behaves as: what templates see (`packer.version`,
 * `{{packer_version}}`) and what `required_version` / `min_packer_version` check.
 */
export const PACKER_COMPAT_VERSION = '1.16.0';
