/**
 * `npm run fuzz:hcl [-- COUNT [SEED]]`: mutation fuzzing of the HCL library. Inputs
 * come from the corpus templates, Packer's test templates (HCL and JSON) and the
 * conformance vectors, mutated with a seeded PRNG (so a finding reproduces), and go
 * through every native and JSON entry point and the evaluator in a worker
 * (scripts/fuzz-hcl-worker.ts). An input must return diagnostics, never throw; one that
 * has not returned after WATCHDOG_MS counts as a hang (the worker is replaced).
 * Prints the count and every finding; exits 1 if there were any.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sharedPath } from '../test/support/shared.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const SEED = Number(process.argv[3] ?? 20260101);
const WATCHDOG_MS = 5_000;
const BATCH = 200;

const FRAGMENTS = [
  '{', '}', '[', ']', '(', ')', '"', '${', '%{', '~}', '<<EOT\n', '<<-EOT\n', 'EOT\n', '\n', '\r\n', '.*', '[*]', '...',
  '::', '=>', '?', ':', '#', '//', '/*', '*/', '=', ',', '.0.1', '\\', '\\u12', '\\"', '$${', '%{if x}', '%{endif}',
  '%{for a in b}', '%{endfor}', '%{else}', 'for', 'in', 'if', '\t', 'é', '🎉', '\ud800', '\u201c', "'", '`', ';', '&',
  '|', '^', '~', '-', '!', '1e', '1.2.3', '1e999999', '-0', 'null', 'true', '""', '[]', '{}', ':{', '"a":', '"${var.a}"',
  '"%{ for x in var.l }${x}%{ endfor }"', 'var.l[*]', 'var.a.b', '{"a":1}', '[1,', 'var.n % 0', '1/0', '(((', ')))',
];

/** mulberry32: small, deterministic. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filesUnder(dir: string, exts: readonly string[]): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && exts.some((e) => d.name.endsWith(e)))
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

function seeds(): string[] {
  const out = [
    ...filesUnder(sharedPath('corpus', 'templates'), ['.hcl']),
    ...filesUnder(sharedPath('conformance', 'packer-templates'), ['.hcl', '.json']),
  ];
  for (const name of ['hcl-parse-errors.json', 'hcl-expressions.json']) {
    const data = JSON.parse(readFileSync(sharedPath('conformance', name), 'utf8')) as { vectors: { input?: unknown }[] };
    for (const v of data.vectors) if (typeof v.input === 'string') out.push(v.input);
  }
  return out;
}

function mutate(src: string, rand: () => number): string {
  let s = src;
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = Math.floor(rand() * 6);
    if (op === 0) s = s.slice(0, at) + (FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] ?? '') + s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
    else if (op === 2) s = s.slice(0, at);
    else if (op === 3) s = s.slice(0, at) + s.slice(at, at + 30) + s.slice(at);
    else if (op === 4) s = s.slice(at) + s.slice(0, at);
    else s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 128)) + s.slice(at + 1);
  }
  return s;
}

function startWorker(): Worker {
  // Node 20 does not apply --import hooks to a worker's entry file: register tsx first.
  const entry = new URL('./fuzz-hcl-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

interface Finding {
  readonly index: number;
  readonly kind: 'throw' | 'hang';
  readonly detail: string;
  readonly input: string;
}

/** Runs one batch; resolves with the index within the batch where it stopped (a hang) or the batch length. */
function runBatch(worker: Worker, inputs: readonly string[], first: number, findings: Finding[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = 0;
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        findings.push({ index: first + done, kind: 'hang', detail: `no result after ${WATCHDOG_MS} ms`, input: inputs[done] ?? '' });
        resolve(done);
      }, WATCHDOG_MS);
    };
    const onMessage = (m: { i: number; error: string | undefined }): void => {
      if (m.error !== undefined) findings.push({ index: first + m.i, kind: 'throw', detail: m.error, input: inputs[m.i] ?? '' });
      done = m.i + 1;
      if (done === inputs.length) {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(done);
      } else arm();
    };
    const onError = (e: Error): void => {
      clearTimeout(timer);
      reject(e);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    arm();
    worker.postMessage({ inputs });
  });
}

async function main(): Promise<void> {
  const base = seeds();
  const rand = rng(SEED);
  const findings: Finding[] = [];
  let worker = startWorker();
  const started = Date.now();
  let ran = 0;
  try {
    while (ran < COUNT) {
      const batch: string[] = [];
      for (let i = 0; i < Math.min(BATCH, COUNT - ran); i++) batch.push(mutate(base[Math.floor(rand() * base.length)] ?? '', rand));
      const done = await runBatch(worker, batch, ran, findings);
      if (done < batch.length) {
        // A hang: the input at `done` is recorded; replace the stuck worker, skip it.
        await worker.terminate();
        worker = startWorker();
        ran += done + 1;
      } else ran += done;
      if (ran % 10_000 < BATCH) console.log(`${ran} inputs, ${findings.length} findings, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await worker.terminate();
  }
  console.log(`fuzz:hcl: ${ran} mutated inputs from ${base.length} seeds (seed ${SEED}) through native and JSON parsing and evaluation: ${findings.length} findings`);
  for (const f of findings) console.log(`- input ${f.index} ${f.kind}: ${f.detail.split('\n').slice(0, 6).join('\n    ')}\n    input: ${JSON.stringify(f.input.slice(0, 400))}`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}

await main();
