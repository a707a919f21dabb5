/** The engine's keys from the fingerprint module: one `StepKeyer` per prepared build. */
import { fingerprintBase, fingerprintProvisioner } from '../fingerprint/build-fingerprint.js';
import type { FingerprintContext } from '../fingerprint/fingerprint.js';
import type { PreparedBuild } from '../prepare.js';
import type { StepKeyer } from './keyer.js';

/** Keys `build`'s base and provisioners under `ctx` (template folder, secret, sensitive strings, side file). */
export function fingerprintKeyer(build: PreparedBuild, ctx: FingerprintContext): StepKeyer {
  return {
    base: (identity) => fingerprintBase(build, ctx, { source: identity }),
    step: (index, parent) => fingerprintProvisioner(build, index, parent, ctx),
  };
}
