/**
 * Helpers for the component tests: a Ui that records what it was told, a run's
 * PackerConfig, and a ProvisionContext around a communicator.
 */
import type { Communicator } from '../../sdk/communicator.js';
import type { GeneratedData, PackerConfig, ProvisionContext } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import { testPackerConfig } from '../../../test/support/packer-config.js';

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
