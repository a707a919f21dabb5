/**
 * Helpers for the component tests: a Ui that records what it was told, a run's
 * PackerConfig, a ProvisionContext around a communicator, and other components as
 * core loads them (a component's tests may not import another component).
 */
import type { Communicator } from '../../sdk/communicator.js';
import type { ComponentDefinition, ComponentKind, GeneratedData, PackerConfig, Prepared, ProvisionContext, ProvisionerDefinition } from '../../sdk/component.js';
import { prepareMessages } from '../../sdk/prepare-component.js';
import type { Result } from '../../sdk/result.js';
import { fail } from '../../sdk/result.js';
import type { ComponentSchema, ConfigOf } from '../../sdk/schema/spec.js';
import type { Ui } from '../../sdk/ui.js';
import { builtinRegistry } from '../registry.js';
import { testPackerConfig } from '../../../test/support/packer-config.js';

/** The built-in component `name` of `kind`, loaded through the registry; throws when there is none. */
export async function builtin<K extends ComponentKind>(kind: K, name: string): Promise<Extract<ComponentDefinition, { kind: K }>> {
  const d = await builtinRegistry().load(kind, name);
  if (d?.kind !== kind) throw new Error(`no built-in ${kind} "${name}"`);
  return d as Extract<ComponentDefinition, { kind: K }>;
}

/** A connection of the built-in `none` or `local` communicator, which reach no machine. */
export async function builtinCommunicator(name: 'none' | 'local'): Promise<Communicator> {
  const c = await builtin('communicator', name);
  return c.connect({ ui: recordingUi(), signal: new AbortController().signal, host: '', config: {} });
}

export interface RecordingUi extends Ui {
  /** Every call as `say <text>`, `message <text>`, `error <text>`, `ask <text>`. */
  readonly lines: string[];
  /** The texts of `say` calls only. */
  said(): string[];
}

/** `answers` are returned by `ask` in turn; with none left, `ask` rejects as with no terminal. */
export function recordingUi(answers: string[] = []): RecordingUi {
  const lines: string[] = [];
  return {
    lines,
    said: () => lines.filter((l) => l.startsWith('say ')).map((l) => l.slice(4)),
    say: (m) => void lines.push(`say ${m}`),
    message: (m) => void lines.push(`message ${m}`),
    error: (m) => void lines.push(`error ${m}`),
    ask: async (q) => {
      lines.push(`ask ${q}`);
      const a = answers.shift();
      if (a === undefined) throw new Error('no terminal to ask on');
      return a;
    },
  };
}

/** The run's PackerConfig (build `test` of a `null` builder, unless told otherwise). */
export { testPackerConfig as packerConfig } from '../../../test/support/packer-config.js';

export function provisionContext(communicator: Communicator, opts: { ui?: Ui; signal?: AbortSignal; generatedData?: GeneratedData; packer?: PackerConfig } = {}): ProvisionContext {
  return {
    ui: opts.ui ?? recordingUi(),
    signal: opts.signal ?? new AbortController().signal,
    communicator,
    generatedData: opts.generatedData ?? {},
    packer: opts.packer ?? testPackerConfig(),
  };
}

/**
 * Prepares `definition` with `config` and provisions with the prepared value, as core
 * does; a prepare error fails with its messages.
 */
export async function prepareAndProvision<S extends ComponentSchema, P>(definition: ProvisionerDefinition<S, P>, config: ConfigOf<S>, ctx: ProvisionContext): Promise<Result<void>> {
  if (!definition.prepare) return definition.provision(config as unknown as P, ctx);
  const p = await definition.prepare(config, { packer: ctx.packer, signal: ctx.signal });
  if ('failed' in p) return fail(prepareMessages(p).errors.join('\n'));
  return definition.provision(p.value, ctx);
}

/** The error messages of `definition`'s prepare for `config` (none without a prepare). */
export async function prepareErrors<S extends ComponentSchema, P>(
  definition: { prepare?(config: ConfigOf<S>, ctx: { packer: PackerConfig; signal: AbortSignal }): Promise<Prepared<P>> },
  config: ConfigOf<S>,
  packer: PackerConfig = testPackerConfig(),
): Promise<string[]> {
  if (!definition.prepare) return [];
  return prepareMessages(await definition.prepare(config, { packer, signal: new AbortController().signal })).errors;
}
