/** The engine's keys from the fingerprint module: one `StepKeyer` per prepared build. */
import { fingerprintBase, fingerprintProvisioner } from '../fingerprint/build-fingerprint.js';
import type { Fingerprint, FingerprintContext } from '../fingerprint/fingerprint.js';
import type { PreparedBuild } from '../prepare.js';
import type { KeyedStep, StepKeyer } from './keyer.js';

/** Keys `build`'s base and provisioners under `ctx` (template folder, secret, sensitive strings). */
export function fingerprintKeyer(build: PreparedBuild, ctx: FingerprintContext): StepKeyer {
  return {
    base: async (identity) => keyed(await fingerprintBase(build, ctx, { source: identity })),
    step: async (index, parent) => keyed(await fingerprintProvisioner(build, index, parent, ctx)),
  };
}

function keyed(f: Fingerprint): KeyedStep {
  return { key: f.key, component: f.component, inputs: f.inputs, volatile: f.volatile, ...(f.barrier !== undefined ? { barrier: f.barrier } : {}) };
}
