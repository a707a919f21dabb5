/** Shared pieces of the post-processor tests: a recording UI, a files artifact, a run context. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Artifact } from '../../sdk/artifact.js';
import type { PackerConfig, PostProcessContext } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import { testPackerConfig } from '../../../test/support/packer-config.js';

export interface RecordingUi extends Ui {
  readonly lines: string[];
}

export function recordingUi(): RecordingUi {
  const lines: string[] = [];
  return {
    lines,
    say: (m) => void lines.push(m),
    message: (m) => void lines.push(m),
    error: (m) => void lines.push(`error: ${m}`),
    ask: () => Promise.reject(new Error('no terminal in tests')),
  };
}

export function packerConfig(over: Partial<PackerConfig> = {}): PackerConfig {
  return testPackerConfig({ buildName: 'example', ...over });
}

/** An input artifact as a builder would hand it over; `destroyed` records destroy calls. */
export function inputArtifact(files: readonly string[], opts: { id?: string; generated?: Record<string, unknown> } = {}): Artifact & { destroyed: number } {
  return {
    builderId: 'test.builder',
    files,
    id: opts.id ?? 'test-id',
    destroyed: 0,
    describe: () => 'test artifact',
    state: (name) => (name === 'generated_data' ? opts.generated : undefined),
    async destroy() {
      this.destroyed++;
    },
  };
}

export function ppContext(artifact: Artifact, packer: Partial<PackerConfig> = {}): PostProcessContext & { ui: RecordingUi } {
  return { ui: recordingUi(), signal: new AbortController().signal, artifact, packer: packerConfig(packer) };
}

/** A fresh temporary directory and the function that removes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `kiln-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
