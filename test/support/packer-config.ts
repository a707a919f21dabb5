/**
 * The `packer_*` config a component sees in a run, for tests that call components
 * directly: build `test` of a `null` builder under Packer 1.16.0, no debug, no force,
 * `cleanup` on error, no user variables. `over` replaces any of them.
 */
import type { PackerConfig } from '../../src/sdk/component.js';

export function testPackerConfig(over: Partial<PackerConfig> = {}): PackerConfig {
  return {
    buildName: 'test',
    builderType: 'null',
    coreVersion: '1.16.0',
    debug: false,
    force: false,
    onError: 'cleanup',
    userVariables: {},
    sensitiveVariables: [],
    ...over,
  };
}
