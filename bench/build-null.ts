/**
 * The build engine's overhead: 50 `null` sources in one build, each with two
 * `shell-local` provisioners and a `manifest` post-processor, built by kiln and by
 * Debian's packer 1.6.6 (which starts a plugin process per component), interleaved.
 * Target: median ratio kiln/packer ≤ 0.25.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTimes, interleave, ratio } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = 50;

/** The template, in HCL2 that both Packer 1.6.6 and kiln accept. */
export function nullBuildTemplate(sources: number): string {
  const names = Array.from({ length: sources }, (_, i) => `s${i}`);
  return [
    ...names.map((n) => `source "null" "${n}" {\n  communicator = "none"\n}\n`),
    'build {',
    `  sources = [${names.map((n) => `"source.null.${n}"`).join(', ')}]`,
    '  provisioner "shell-local" {\n    inline = ["echo one ${source.name}"]\n  }',
    '  provisioner "shell-local" {\n    inline = ["echo two ${source.name}"]\n  }',
    // One manifest per source: Packer 1.6.6's parallel manifest writers race on a shared file.
    '  post-processor "manifest" {\n    output = "manifest-${source.name}.json"\n  }',
    '}',
    '',
  ].join('\n');
}

export function benchBuildNull(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-bench-null-'));
  try {
    for (const tool of ['kiln', 'packer']) {
      mkdirSync(path.join(dir, tool));
      writeFileSync(path.join(dir, tool, 'null.pkr.hcl'), nullBuildTemplate(SOURCES));
    }
    const runs = Number(process.env['BENCH_RUNS'] ?? 5);
    const env = { PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1' };
    const times = interleave(
      [
        { label: 'kiln build', argv: [path.join(root, 'bin', 'kiln'), 'build', '-color=false', 'null.pkr.hcl'], cwd: path.join(dir, 'kiln'), env },
        { label: 'packer 1.6.6 build', argv: ['packer', 'build', '-color=false', 'null.pkr.hcl'], cwd: path.join(dir, 'packer'), env },
      ],
      runs,
    );
    const kiln = times.get('kiln build') ?? [];
    const packer = times.get('packer 1.6.6 build') ?? [];
    console.log(describeTimes('kiln build', kiln));
    console.log(describeTimes('packer 1.6.6 build', packer));
    const r = ratio(kiln, packer);
    console.log(`${SOURCES} null sources × (2 shell-local + manifest): ratio kiln/packer median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}); target ≤ 0.25`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
