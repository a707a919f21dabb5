/**
 * What post-processors read at run time: the input artifact's generated data and the
 * interpolation context for the fields they render late (`output`, `custom_data`).
 */
import type { PackerConfig } from '../../sdk/component.js';
import { randomUuid } from '../../support/random.js';
import type { InterpolateContext } from '../../sdk/interpolate/index.js';

/** A copy of the artifact's generated data (post-processors add their own keys to it); defined in the SDK. */
export { generatedDataOf } from '../../sdk/artifact.js';

/** The legacy-template context Packer's post-processors render with: `data` plus the build's names and variables. */
export function runContext(packer: PackerConfig, data: Record<string, unknown>): InterpolateContext {
  return {
    data,
    buildName: packer.buildName,
    buildType: packer.builderType,
    userVariables: packer.userVariables,
    ...(packer.templatePath !== undefined ? { templatePath: packer.templatePath } : {}),
  };
}

/**
 * `PACKER_RUN_UUID`: Packer's main sets it once per run; kiln's command layer should do
 * the same. When it is unset (a component run outside `kiln build`), one is made and
 * put in the environment so every component of this process agrees on it.
 */
export function packerRunUuid(): string {
  const current = process.env['PACKER_RUN_UUID'];
  if (current) return current;
  const made = randomUuid();
  process.env['PACKER_RUN_UUID'] = made;
  return made;
}
