/**
 * The interpolation context a component renders its run-time templates with
 * (`execute_command`, inline commands): the build's generated data plus extra keys
 * (`.Path`, `.Vars`), and Packer's functions reading the run's settings.
 */
import type { GeneratedData, PackerConfig } from '../component.js';
import type { InterpolateContext } from '../interpolate/index.js';
import { renderRepeatedly } from '../interpolate/index.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';

export function templateContext(packer: PackerConfig, generatedData: GeneratedData, extra: Readonly<Record<string, unknown>> = {}): InterpolateContext {
  return {
    data: { ...generatedData, ...extra },
    buildName: packer.buildName,
    buildType: packer.builderType,
    userVariables: packer.userVariables,
    ...(packer.templatePath !== undefined ? { templatePath: packer.templatePath } : {}),
  };
}

/** Renders `text` until it stops changing (Packer's `interpolate.Render`); `what` prefixes the error. */
export function renderTemplate(text: string, ctx: InterpolateContext, what: string): Result<string> {
  const r = renderRepeatedly(text, ctx);
  return r.kind === 'ok' ? ok(r.value) : fail(`${what}: ${r.message}`);
}
