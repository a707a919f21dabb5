/**
 * The output pipeline of a command that runs builds: one secret filter, one emitter,
 * and the renderers Packer's flags and environment ask for (human or machine-readable,
 * colour, timestamps, the PACKER_LOG debug log).
 */
import { DebugLog } from '../core/ui/debug-log.js';
import { UiEmitter } from '../core/ui/emitter.js';
import type { CiDialect } from '../core/ui/ci-renderer.js';
import { CiRenderer } from '../core/ui/ci-renderer.js';
import type { UiEventSink } from '../core/ui/events.js';
import { HumanRenderer } from '../core/ui/human-renderer.js';
import { JsonRenderer } from '../core/ui/json-renderer.js';
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
  /**
   * `-json`: where the JSON event stream goes (one line per call). `toStdout`: it takes
   * standard output, and the human or machine-readable output moves to standard error.
   */
  readonly json?: { readonly write: (line: string) => void; readonly toStdout: boolean };
  /** Group the human output for this CI system, with annotations (`GITHUB_ACTIONS`, `GITLAB_CI`). */
  readonly ci?: CiDialect;
  /** More consumers of the event stream (a -metadata-file recorder). */
  readonly sinks?: readonly UiEventSink[];
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
  const write = opts.json?.toStdout ? io.stderr : io.stdout;
  if (opts.machineReadable) {
    const machine = new MachineRenderer({ write });
    sinks.push((e) => machine.render(e));
  } else {
    human = new HumanRenderer({ write, color: colored, ...(opts.timestampUi ? { timestamp: () => new Date() } : {}) });
    const renderer = human;
    if (opts.ci) {
      const ci = new CiRenderer({ dialect: opts.ci, human: (e) => renderer.render(e), write });
      sinks.push((e) => ci.render(e));
    } else {
      sinks.push((e) => renderer.render(e));
    }
  }
  if (opts.json) {
    const json = new JsonRenderer({ write: opts.json.write });
    sinks.push((e) => json.render(e));
  }
  sinks.push(...(opts.sinks ?? []));
  if (log.enabled) sinks.push(log.sink);
  const emitter = new UiEmitter({ secrets, sinks, ...(opts.ask && !opts.machineReadable ? { ask: opts.ask } : {}) });
  return { secrets, emitter, log, colored, ...(human ? { human } : {}) };
}
