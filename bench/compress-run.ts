/**
 * Runs kiln's compress or checksum post-processor once, in a process of its own, the
 * way `kiln build` will call it: `compress-run.ts compress <input> <output> [level]` or
 * `compress-run.ts checksum <input> <output> <type>`. The benchmarks time this script.
 */
import { inputArtifact, ppContext } from '../src/plugins/post-processors/test-helpers.js';

const [what, input, output, extra] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: compress-run.ts compress|checksum <input> <output> [level|type]');
const ctx = ppContext(inputArtifact([input]));
// Each mode loads only its post-processor, as kiln's registry does.
const res =
  what === 'checksum'
    ? await (await import('../src/plugins/post-processors/checksum/index.js')).default.postProcess({ checksum_types: [extra ?? 'sha256'], output }, ctx)
    : await (await import('../src/plugins/post-processors/compress/index.js')).default.postProcess({ output, ...(extra ? { compression_level: Number(extra) } : {}) }, ctx);
if (res.kind === 'error') {
  console.error(res.error.message);
  process.exit(1);
}
