/**
 * `npm run bench [-- name...]`: runs kiln's benchmarks. Each prints medians of
 * interleaved runs and ratios with their min–max. BENCH_RUNS sets the round count.
 */
import { benchBuildNull } from './build-null.js';
import { benchChecksum } from './checksum.js';
import { benchCompress } from './compress.js';
import { benchDocker } from './docker.js';
import { benchFmt } from './fmt.js';
import { benchValidate } from './hcl-validate.js';
import { benchSshUpload } from './ssh-upload.js';
import { benchStartup } from './startup.js';

const BENCHES: Record<string, () => void | Promise<void>> = {
  startup: benchStartup,
  fmt: benchFmt,
  validate: benchValidate,
  checksum: benchChecksum,
  compress: benchCompress,
  'ssh-upload': benchSshUpload,
  'ssh-file': async () => (await import('./ssh-file.js')).benchSshFile(),
  docker: benchDocker,
  'build-null': benchBuildNull,
  qemu: async () => (await import('./qemu.js')).benchQemu(),
  'cache-qemu': async () => (await import('./cache-qemu.js')).benchCacheQemu(),
  ansible: async () => (await import('./ansible.js')).benchAnsible(),
  plugins: async () => (await import('./plugins.js')).benchPlugins(),
  ledger: async () => (await import('./ledger.js')).benchLedger(),
  'cache-docker': async () => (await import('./cache-docker.js')).benchCacheDocker(),
  'ledger-builds': async () => (await import('./ledger-builds.js')).benchLedgerBuilds(),
  fingerprint: async () => (await import('./fingerprint.js')).benchFingerprint(),
};

const wanted = process.argv.slice(2);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`## ${name}`);
  await bench();
}
