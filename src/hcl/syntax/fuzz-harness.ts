/**
 * Mutation fuzzing of the scanner and parser (native and JSON) for the fuzz tests:
 * seeded mutations of the given inputs must never make any entry point throw or hang.
 * Each input runs in a worker (fuzz-worker.ts) under a watchdog. Test code only: the
 * own-input test (fuzz.test.ts) and the corpus one (fuzz.conformance.test.ts) share it.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A named source text to fuzz, evaluate or format. */
export interface Sample {
  readonly name: string;
  readonly text: string;
}

/**
 * kiln's own HCL texts for the robustness tests: the syntax tour in fixtures/ (every
 * kind of token, expression and block) and the templates in examples/.
 */
export function ownSamples(): Sample[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dirs = [path.join(here, 'fixtures'), path.resolve(here, '..', '..', '..', 'examples')];
  return dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.hcl'))
      .sort()
      .map((f) => ({ name: path.join(path.basename(dir), f), text: readFileSync(path.join(dir, f), 'utf8') })),
  );
}

const WATCHDOG_MS = 10_000;

export const FRAGMENTS: readonly string[] = [
  '{', '}', '[', ']', '(', ')', '"', '${', '%{', '~}', '}', '<<EOT\n', '<<-EOT\n', 'EOT\n', '\n', '\r\n', '.*', '[*]', '...',
  '::', '=>', '?', ':', '#', '//', '/*', '*/', '=', ',', '.0.1', '\\', '\\u12', '$${', '%{if x}', '%{endif}', '%{for a in b}',
  '%{endfor}', '%{else}', 'for', 'in', 'if', '\t', 'é', '🎉', '\ud800', '\u201c', "'", '`', ';', '&', '|', '^', '~', '-', '!', '1e', '1.2.3',
];

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `src` with one to four random edits: a fragment inserted (from `fragments`, default the
 * syntax fragments above), a run deleted, the rest cut off, a run repeated or the text
 * rotated.
 */
export function mutate(src: string, rand: () => number, fragments: readonly string[] = FRAGMENTS): string {
  let s = src;
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = Math.floor(rand() * 5);
    if (op === 0) s = s.slice(0, at) + (fragments[Math.floor(rand() * fragments.length)] ?? '') + s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
    else if (op === 2) s = s.slice(0, at);
    else if (op === 3) s = s.slice(0, at) + s.slice(at, at + 30) + s.slice(at);
    else s = s.slice(at) + s.slice(0, at);
  }
  return s;
}

/**
 * Parses `count` mutations of `base` (picked and mutated with a fixed seed, so a failure
 * reproduces) every way fuzz-worker.ts does; rejects naming the first input that threw
 * or hung.
 */
export async function fuzzSyntax(base: readonly string[], count: number): Promise<void> {
  const rand = rng(20240611);
  const inputs: string[] = [];
  for (let i = 0; i < count; i++) inputs.push(mutate(base[Math.floor(rand() * base.length)] ?? '', rand));
  // Node 20 does not apply --import hooks to a worker's entry file: register tsx first.
  const entry = new URL('./fuzz-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(boot, { eval: true });
  try {
    for (const [index, input] of inputs.entries()) {
      const reply = await new Promise<{ error: string | undefined }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`input ${index} hung for ${WATCHDOG_MS} ms: ${JSON.stringify(input.slice(0, 300))}`)), WATCHDOG_MS);
        worker.once('message', (m: { error: string | undefined }) => {
          clearTimeout(timer);
          resolve(m);
        });
        worker.once('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        worker.postMessage({ index, input });
      });
      assert.equal(reply.error, undefined, `input ${index} threw: ${JSON.stringify(input.slice(0, 300))}`);
    }
  } finally {
    await worker.terminate();
  }
}
