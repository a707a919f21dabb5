/** The qemu builder's artifact (packer-plugin-qemu `artifact.go`): the files of the output directory. */
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../../sdk/artifact.js';

export const QEMU_BUILDER_ID = 'transcend.qemu';

export class QemuArtifact implements Artifact {
  readonly builderId = QEMU_BUILDER_ID;
  readonly files: readonly string[];
  readonly id = 'VM';

  constructor(
    readonly dir: string,
    private readonly meta: { readonly diskType: string; readonly diskSize: string; readonly domainType: string; readonly generatedData: Record<string, unknown> },
    dropEfivars = false,
  ) {
    this.files = listFiles(dir).filter((f) => !(dropEfivars && path.basename(f) === 'efivars.fd'));
  }

  describe(): string {
    return `VM files in directory: ${this.dir}`;
  }

  state(name: string): unknown {
    if (name === 'generated_data') return this.meta.generatedData;
    if (name === 'diskName') return this.files[0] ? path.basename(this.files[0]) : undefined;
    if (name === 'diskType') return this.meta.diskType;
    if (name === 'diskSize') return this.meta.diskSize;
    if (name === 'domainType') return this.meta.domainType;
    return undefined;
  }

  async destroy(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(full));
    else if (e.isFile()) out.push(full);
  }
  return out;
}
