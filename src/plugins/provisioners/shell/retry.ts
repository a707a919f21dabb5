/**
 * Packer's `retry.Config{StartTimeout}.Run`: call `attempt` until it succeeds; after a
 * failure, give up when the build is cancelled or `timeoutMs` has passed since the
 * first call, else wait `delayMs` (Packer: 2 s) and try again. Resolves with the last
 * error on giving up.
 */
import { setTimeout as delay } from 'node:timers/promises';

export async function retryUntil(timeoutMs: number, signal: AbortSignal, attempt: () => Promise<void>, delayMs = 2000): Promise<Error | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return undefined;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (signal.aborted || (timeoutMs > 0 && Date.now() >= deadline)) return error;
      try {
        await delay(delayMs, undefined, { signal });
      } catch {
        return error;
      }
    }
  }
}
