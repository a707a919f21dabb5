/**
 * The build engine's overhead: 50 `null` sources in one build, each with two
 * `shell-local` provisioners and a `manifest` post-processor, built by kiln and by
 * Debian's packer 1.6.6 (which starts a plugin process per component), interleaved.
 * Target: median ratio kiln/packer ≤ 0.25.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareBuilds } from './kiln-vs-packer.js';

const SOURCES = 50;

/**
 * `sources` null sources in one build, each with two `shell-local` provisioners and,
 * when `manifest`, a manifest post-processor of its own. HCL2 that both Packer 1.6.6
 * and kiln accept.
 */
export function nullBuildTemplate(sources: number, manifest = true): string {
  const names = Array.from({ length: sources }, (_, i) => `s${i}`);
  return [
    ...names.map((n) => `source "null" "${n}" {\n  communicator = "none"\n}\n`),
    'build {',
    `  sources = [${names.map((n) => `"source.null.${n}"`).join(', ')}]`,
    '  provisioner "shell-local" {\n    inline = ["echo one ${source.name}"]\n  }',
    '  provisioner "shell-local" {\n    inline = ["echo two ${source.name}"]\n  }',
    // One manifest per source: Packer 1.6.6's parallel manifest writers race on a shared file.
    ...(manifest ? ['  post-processor "manifest" {\n    output = "manifest-${source.name}.json"\n  }'] : []),
    '}',
    '',
  ].join('\n');
}

export function benchBuildNull(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-bench-null-'));
  try {
    compareBuilds({
      dir,
      file: 'null.pkr.hcl',
      template: () => nullBuildTemplate(SOURCES),
      what: `${SOURCES} null sources × (2 shell-local + manifest)`,
      target: '≤ 0.25',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
