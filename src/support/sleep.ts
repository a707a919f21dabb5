/**
 * kiln's one cancellable wait. It never rejects: it resolves `true` once `ms` have
 * passed, or `false` as soon as `signal` aborts (at once when it already has), having
 * cleared its timer. Callers that must fail on cancellation check the result and
 * return or throw their own error (usually `signal.reason`).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
