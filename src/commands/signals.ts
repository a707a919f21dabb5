/**
 * SIGINT and SIGTERM cancel the run alike (a terminal sends the first, CI runners the
 * second): the first one aborts the returned signal (every build cancels and cleans
 * up); the process exits when the command finishes, with exit code 1. Packer's
 * message: "Cancelling build after receiving interrupt". A signal during cleanup does
 * not stop it: `onRepeat` says that cleanup is running and what remains.
 */
import { setMaxListeners } from 'node:events';

export interface Interrupts {
  readonly signal: AbortSignal;
  /** Stops listening; call when the command is done. */
  dispose(): void;
}

const NAMES: Readonly<Record<string, string>> = { SIGINT: 'interrupt', SIGTERM: 'terminated' };

export function listenForInterrupts(onCancel: (message: string) => void, onRepeat?: (message: string) => void): Interrupts {
  const controller = new AbortController();
  // Every build, step and wait listens to this one signal.
  setMaxListeners(0, controller.signal);
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      onRepeat?.(`Received ${NAMES[sig] ?? sig} again: cleanup is running, please wait.`);
      return;
    }
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
