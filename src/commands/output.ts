/**
 * The output pipeline of a command that runs builds: one secret filter, one emitter,
 * and the renderers Packer's flags and environment ask for (human or machine-readable,
 * colour, timestamps, the PACKER_LOG debug log).
 */
import { DebugLog } from '../core/ui/debug-log.js';
import { UiEmitter } from '../core/ui/emitter.js';
import type { UiEventSink } from '../core/ui/events.js';
import { HumanRenderer } from '../core/ui/human-renderer.js';
import { MachineRenderer } from '../core/ui/machine-renderer.js';
import { SecretFilter } from '../core/ui/secret-filter.js';
import type { CommandIO } from './command.js';

export interface OutputOptions {
  readonly machineReadable: boolean;
  /** `-color` (default true). */
  readonly color: boolean;
  readonly timestampUi: boolean;
  /** Answers `ui.ask`; absent when there is no terminal. */
  readonly ask?: (query: string) => Promise<string>;
}

export interface Output {
  readonly secrets: SecretFilter;
  readonly emitter: UiEmitter;
  readonly log: DebugLog;
  /** Present in human mode: fixes each build's colour by its position. */
  readonly human?: HumanRenderer;
  /** Whether colour is on (Packer: -color, not machine-readable, no PACKER_NO_COLOR). */
  readonly colored: boolean;
}

export function createOutput(io: CommandIO, opts: OutputOptions): Output {
  const secrets = new SecretFilter();
  const log = DebugLog.fromEnv(io.env, secrets, io.stderr);
  const colored = opts.color && !opts.machineReadable && !io.env['PACKER_NO_COLOR'];
  const sinks: UiEventSink[] = [];
  let human: HumanRenderer | undefined;
  if (opts.machineReadable) {
    const machine = new MachineRenderer({ write: io.stdout });
    sinks.push((e) => machine.render(e));
  } else {
    human = new HumanRenderer({ write: io.stdout, color: colored, ...(opts.timestampUi ? { timestamp: () => new Date() } : {}) });
    const renderer = human;
    sinks.push((e) => renderer.render(e));
  }
  if (log.enabled) sinks.push(log.sink);
  const emitter = new UiEmitter({ secrets, sinks, ...(opts.ask && !opts.machineReadable ? { ask: opts.ask } : {}) });
  return { secrets, emitter, log, colored, ...(human ? { human } : {}) };
}
