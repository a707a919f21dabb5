/**
 * `kiln build`: load the template, prepare every build through the component
 * registry, run them in parallel, print Packer's output, and exit 0, or 1 when
 * anything failed or the run was interrupted.
 */
import { hasErrors } from '../hcl/diagnostic.js';
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { SourceFile } from '../hcl/diagnostic-text.js';
import { renderDiagnostics } from '../hcl/diagnostic-text.js';
import { variableStatements } from '../hcl/diagnostic-vars.js';
import { prepareBuilds } from '../core/prepare.js';
import { runBuilds } from '../core/run-builds.js';
import { builtinRegistry } from '../plugins/registry.js';
import type { OnError } from '../sdk/multistep/runner.js';
import { PACKER_COMPAT_VERSION } from '../support/version.js';
import { detectConfigType, loadTemplate } from '../template/load-template.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { commandHelp } from './help.js';
import type { Output } from './output.js';
import { createOutput } from './output.js';
import { listenForInterrupts } from './signals.js';
import { COMMANDS } from './table.js';
import { terminalAsk } from './terminal.js';

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.flags.values;
  const [template, ...extra] = ctx.flags.positional;
  if (template === undefined || extra.length > 0) {
    const spec = COMMANDS.find((c) => c.name === 'build');
    if (spec) ctx.stderr(commandHelp(spec));
    return EXIT.error;
  }
  const vars = parseVarFlags((v.get('var') as string[] | undefined) ?? []);
  if (typeof vars === 'string') {
    ctx.stderr(`${vars}\n`);
    return EXIT.error;
  }
  const debug = v.get('debug') === true;
  const out = createOutput(ctx, {
    machineReadable: ctx.machineReadable,
    color: v.get('color') !== false,
    timestampUi: v.get('timestamp-ui') === true,
    ...(process.stdin.isTTY ? { ask: terminalAsk } : {}),
  });
  out.log.log('INFO', `kiln version: ${PACKER_COMPAT_VERSION} compatible`);
  if (detectConfigType(template) !== 'hcl2') {
    out.emitter.error(`kiln: legacy JSON templates cannot be built yet (${template}); HCL2 templates (*.pkr.hcl, *.pkr.json, a directory) can.`);
    return EXIT.error;
  }
  const interrupts = listenForInterrupts((message) => out.emitter.error(message));
  try {
    const registry = builtinRegistry();
    const loaded = await loadTemplate(
      template,
      {
        vars,
        varFiles: (v.get('var-file') as string[] | undefined) ?? [],
        env: ctx.env,
        cwd: ctx.cwd,
        only: (v.get('only') as string[] | undefined) ?? [],
        except: (v.get('except') as string[] | undefined) ?? [],
        useSequentialEvaluation: v.get('use-sequential-evaluation') === true,
        warnOnUndeclaredVar: v.get('warn-on-undeclared-var') === true,
        signal: interrupts.signal,
      },
      registry,
    );
    const model = loaded.model;
    for (const s of model?.secrets ?? []) out.secrets.register(s);
    if (writeDiagnostics(out, loaded.files, loaded.diagnostics) || !model) return EXIT.error;
    const onError = ((v.get('on-error') as string | undefined) || 'cleanup') as OnError;
    const prepared = await prepareBuilds(model.builds, registry, (b) => ({
      buildName: b.sourceName,
      builderType: b.builder.type,
      coreVersion: PACKER_COMPAT_VERSION,
      debug,
      force: v.get('force') === true,
      onError,
      ...(model.templatePath ? { templatePath: model.templatePath } : {}),
      userVariables: model.userVariables,
      sensitiveVariables: model.sensitiveVariables,
    }));
    for (const s of prepared.secrets) out.secrets.register(s);
    const failedPrepare = writeDiagnostics(out, loaded.files, prepared.diagnostics);
    if (prepared.builds.length === 0) {
      if (!failedPrepare) {
        writeDiagnostics(out, loaded.files, [
          {
            severity: 'error',
            summary: 'No builds to run',
            detail:
              'A build command cannot run without at least one build to process. If the only or except flags have been specified at run time check that at least one build is selected for execution.',
          },
        ]);
      }
      return EXIT.error;
    }
    out.human?.assignColors(prepared.builds.map((b) => b.spec.name));
    const result = await runBuilds(prepared.builds, {
      emitter: out.emitter,
      signal: interrupts.signal,
      parallel: (v.get('parallel-builds') as number | undefined) ?? 0,
      debug,
      announceColors: out.colored,
    });
    return result.exitCode;
  } finally {
    interrupts.dispose();
  }
}

/** Writes diagnostics as Packer's writeDiags does (through the UI); true when any is an error. */
function writeDiagnostics(out: Output, files: ReadonlyMap<string, SourceFile>, diags: readonly Diagnostic[]): boolean {
  if (diags.length === 0) return false;
  const text = renderDiagnostics(diags, files, { width: 80, variableStatements });
  if (hasErrors(diags)) {
    out.emitter.error(text);
    return true;
  }
  out.emitter.say(text);
  return false;
}

/** `-var k=v` values as ordered pairs, or Go flag's error for one without `=`. */
export function parseVarFlags(raw: readonly string[]): [string, string][] | string {
  const pairs: [string, string][] = [];
  for (const arg of raw) {
    const eq = arg.indexOf('=');
    if (eq < 0) return `invalid value "${arg}" for flag -var: No '=' value in arg: ${arg}`;
    pairs.push([arg.slice(0, eq), arg.slice(eq + 1)]);
  }
  return pairs;
}
