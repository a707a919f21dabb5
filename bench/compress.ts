/**
 * `compress`: a 1 GiB disk-image-like file to `.gz`, kiln's compress post-processor
 * against Debian's packer 1.6.6 (`apt-get install packer`) running a template with the
 * null builder, `artifice` pointing at the file and `compress` (keep_input_artifact, so
 * the file survives). Until `kiln build` exists, kiln is timed two ways: the
 * post-processor run in a process of its own (bench/compress-run.ts, Node and tsx
 * start-up included) and the post-processor call in this process. Both outputs are
 * checked with `gzip -t` and their sizes printed. Target: median ratio kiln/packer ≤ 1.0.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressPostProcessor } from '../src/plugins/post-processors/compress/index.js';
import { inputArtifact, ppContext } from '../src/plugins/post-processors/test-helpers.js';
import { ensureBenchFile } from './compress-data.js';
import type { Command } from './timing.js';
import { describeTimes, ratio, timeOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const PACKER = process.env['PACKER_BIN'] ?? 'packer';

export async function benchCompress(): Promise<void> {
  const dir = path.join(tmpdir(), 'kiln-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'artifact-1g.img');
  ensureBenchFile(file, 1 << 30);
  const kilnOut = path.join(dir, 'kiln.gz');
  const packerOut = path.join(dir, 'packer.gz');
  const template = path.join(dir, 'compress.json');
  writeFileSync(
    template,
    JSON.stringify({
      builders: [{ type: 'null', communicator: 'none' }],
      'post-processors': [[{ type: 'artifice', files: [file] }, { type: 'compress', output: packerOut, keep_input_artifact: true }]],
    }),
  );
  const kiln: Command = { label: 'kiln (process)', argv: [process.execPath, '--import', 'tsx', path.join(root, 'bench', 'compress-run.ts'), 'compress', file, kilnOut], cwd: root };
  const packer: Command = { label: 'packer 1.6.6 build', argv: [PACKER, 'build', template], cwd: dir };
  const inProcess = async (): Promise<number> => {
    const start = process.hrtime.bigint();
    const r = await compressPostProcessor.postProcess({ output: kilnOut }, ppContext(inputArtifact([file])));
    if (r.kind === 'error') throw r.error;
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const times = { process: [] as number[], call: [] as number[], packer: [] as number[] };
  timeOnce(kiln);
  timeOnce(packer);
  for (let i = 0; i < runs; i++) {
    times.process.push(timeOnce(kiln));
    times.call.push(await inProcess());
    times.packer.push(timeOnce(packer));
  }
  for (const f of [kilnOut, packerOut]) execFileSync('gzip', ['-t', f]);
  console.log(`sizes: kiln ${statSync(kilnOut).size} bytes, packer ${statSync(packerOut).size} bytes (input ${statSync(file).size})`);
  console.log(describeTimes(kiln.label, times.process));
  console.log(describeTimes('kiln (in-process post-processor)', times.call));
  console.log(describeTimes(packer.label, times.packer));
  for (const [label, xs] of [
    ['process', times.process],
    ['in-process', times.call],
  ] as const) {
    const r = ratio(xs, times.packer);
    console.log(`ratio kiln ${label}/packer: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}) — target ≤ 1.0`);
  }
}
