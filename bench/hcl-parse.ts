/**
 * Native-syntax parse throughput: every corpus template concatenated, then repeated
 * to about 5 MB (the size Go's HCL is benchmarked on), parsed with `parseConfig`.
 * Run: `node --import tsx bench/hcl-parse.ts`. Prints MB/s (median of BENCH_RUNS).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { lexConfig } from '../src/hcl/syntax/lex.js';
import { parseConfig } from '../src/hcl/syntax/parse.js';
import { sharedPath } from '../test/support/shared.js';

const runs = Number(process.env['BENCH_RUNS'] ?? 7);
const dir = sharedPath('corpus', 'templates');
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hcl')).sort();
const corpus = files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
const big = corpus.repeat(Math.max(1, Math.round((5 * 1024 * 1024) / Buffer.byteLength(corpus))));

function measure(label: string, src: string, f: (s: string) => unknown): void {
  const mb = Buffer.byteLength(src) / (1024 * 1024);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f(src);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)] ?? 0;
  console.log(`${label}: ${mb.toFixed(2)} MB in ${med.toFixed(1)} ms median = ${(mb / (med / 1000)).toFixed(1)} MB/s`);
}

console.log(`${files.length} corpus files`);
measure('scan corpus', corpus, (s) => lexConfig(s, 'corpus.hcl'));
measure('parse corpus', corpus, (s) => parseConfig(s, 'corpus.hcl'));
measure('scan 5MB', big, (s) => lexConfig(s, 'big.hcl'));
measure('parse 5MB', big, (s) => parseConfig(s, 'big.hcl'));
