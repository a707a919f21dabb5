/**
 * SIGINT and SIGTERM cancel the run: the first one aborts the returned signal (every
 * build cancels and cleans up); the process exits when the command finishes, with
 * exit code 1. Packer's message: "Cancelling build after receiving interrupt".
 */
import { setMaxListeners } from 'node:events';

export interface Interrupts {
  readonly signal: AbortSignal;
  /** Stops listening; call when the command is done. */
  dispose(): void;
}

const NAMES: Readonly<Record<string, string>> = { SIGINT: 'interrupt', SIGTERM: 'terminated' };

export function listenForInterrupts(onCancel: (message: string) => void): Interrupts {
  const controller = new AbortController();
  // Every build, step and wait listens to this one signal.
  setMaxListeners(0, controller.signal);
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    onCancel(`Cancelling build after receiving ${NAMES[sig] ?? sig}`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
