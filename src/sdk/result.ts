/** A runtime outcome as a value: what failed is returned, not thrown. */
export type Result<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'error'; readonly error: Error };

export function ok<T>(value: T): Result<T> {
  return { kind: 'ok', value };
}

export function fail<T = never>(error: Error | string): Result<T> {
  return { kind: 'error', error: typeof error === 'string' ? new Error(error) : error };
}
