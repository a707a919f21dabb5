/** Guarding component calls for core (the one cancellable wait is `support/sleep.ts`). */
import type { Result } from '../sdk/result.js';

/**
 * Runs a component call; a throw (a bug in the component) becomes an error result so
 * one broken plugin cannot take the process down.
 */
export async function guarded<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    return { kind: 'error', error: err instanceof Error ? err : new Error(String(err)) };
  }
}
