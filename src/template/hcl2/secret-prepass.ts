/**
 * The secret pre-pass of a load: the secret functions (`vault`, `consul_key`,
 * `aws_secretsmanager`, `aws_secretsmanager_raw`) answer synchronously from the load's
 * `SecretResolver`, so the calls whose arguments are literals are fetched, all at
 * once, before anything that may call them is evaluated. A call the pre-pass cannot
 * see (arguments from variables or locals, JSON-syntax files) still works, through
 * the resolver's synchronous fallback, one child process per distinct call.
 *
 * Variable defaults need not wait for it: they see only `env()`, as in Packer.
 * Calls are fetched even when the block holding them is never evaluated (a source
 * `-only` leaves out); Packer would not contact the secret store for those. A failed
 * fetch is kept and reported only if the call is evaluated.
 */
import type { SecretCall } from '../functions/secret-backends.js';
import { SECRET_FUNCTION_NAMES, secretCallsIn } from '../functions/secret-calls.js';
import type { SecretResolver } from '../functions/secret-resolver.js';
import type { ParsedFile } from './files.js';

const NAMES = [...SECRET_FUNCTION_NAMES].map((n) => Buffer.from(n));

/**
 * The literal-argument secret calls in `files`. Walking a syntax tree costs about as
 * much as parsing it, so only files whose text names a secret function are walked.
 */
export function secretCallsOf(files: readonly ParsedFile[]): SecretCall[] {
  const bodies = files.filter((f) => {
    const bytes = Buffer.from(f.source.bytes.buffer, f.source.bytes.byteOffset, f.source.bytes.byteLength);
    return NAMES.some((n) => bytes.includes(n));
  });
  return bodies.length === 0 ? [] : secretCallsIn(bodies.map((f) => f.body));
}

/** Fetches the literal secret calls of `files` into `resolver`. Never rejects. */
export function prefetchSecrets(resolver: SecretResolver, files: readonly ParsedFile[]): Promise<void> {
  const calls = secretCallsOf(files);
  return calls.length === 0 ? Promise.resolve() : resolver.prefetch(calls);
}
