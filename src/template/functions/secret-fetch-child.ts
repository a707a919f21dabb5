/**
 * Child-process entry of the synchronous secret fallback (see secret-resolver.ts):
 * reads one SecretCall as JSON on stdin, writes its SecretResult as JSON on stdout.
 */
import { text } from 'node:stream/consumers';
import type { SecretCall } from './secret-backends.js';
import { fetchSecret } from './secret-backends.js';

// No top-level await: dist/ is CommonJS (scripts/build.mjs).
void text(process.stdin).then(async (input) => {
  const call = JSON.parse(input) as SecretCall;
  process.stdout.write(JSON.stringify(await fetchSecret(call)));
});
