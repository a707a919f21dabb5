/**
 * Start-up cost: `kiln version` against a bare `node -e 0`, interleaved.
 * Target: median ratio ≤ 1.3.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTimes, interleave, ratio } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env['BENCH_RUNS'] ?? 15);

export function benchStartup(): void {
  const times = interleave(
    [
      { label: 'kiln version', argv: [path.join(root, 'bin', 'kiln'), 'version'] },
      { label: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    ],
    runs,
  );
  const kiln = times.get('kiln version') ?? [];
  const node = times.get('node -e 0') ?? [];
  console.log(describeTimes('kiln version', kiln));
  console.log(describeTimes('node -e 0', node));
  const r = ratio(kiln, node);
  console.log(`startup ratio kiln/node: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}); target ≤ 1.30`);
}
