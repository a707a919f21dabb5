import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Communicator } from '../../../sdk/communicator.js';
import type { GeneratedData, ProvisionHook } from '../../../sdk/component.js';
import { prepareMessages } from '../../../sdk/prepare-component.js';
import { ok } from '../../../sdk/result.js';
import { builtin, packerConfig, prepareAndProvision, recordingUi } from '../../provisioners/test-helpers.js';
import fileBuilder from './index.js';

const shell = await builtin('provisioner', 'shell');

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-file-builder-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recordingHook(): ProvisionHook & { seen: { comm: Communicator; data: GeneratedData }[] } {
  const seen: { comm: Communicator; data: GeneratedData }[] = [];
  return {
    seen,
    async run(_name, ui, comm, data, signal) {
      seen.push({ comm, data });
      // A shell provisioner "runs" against the mock communicator: upload discarded, exit 0.
      return prepareAndProvision(shell, { inline: ['exit 1'] }, { ui, signal, communicator: comm, generatedData: data, packer: packerConfig() });
    },
  };
}

describe('file builder', () => {
  it('writes content (mode 0600, parent folders made), runs the hook with the mock communicator', async () => {
    const target = path.join(dir, 'deep', 'er', 'out.txt');
    const ui = recordingUi();
    const hook = recordingHook();
    const res = await fileBuilder.run({ target, content: 'hello' }, { ui, signal: new AbortController().signal, hook, packer: packerConfig({ builderType: 'file' }), communicators: async () => undefined });
    assert.equal(res.kind, 'ok', res.kind === 'error' ? res.error.message : '');
    assert.equal(await readFile(target, 'utf8'), 'hello');
    assert.equal((await stat(target)).mode & 0o777, 0o600);
    assert.equal(hook.seen[0]?.comm.type, 'mock');
    assert.deepEqual(hook.seen[0]?.data, {});
    const artifact = res.kind === 'ok' ? res.value : undefined;
    assert.equal(artifact?.builderId, 'packer.file');
    assert.equal(artifact?.id, 'File');
    assert.deepEqual(artifact?.files, [target]);
    assert.equal(artifact?.describe(), `Stored file: ${target}`);
    await artifact?.destroy();
    assert.equal(existsSync(target), false);
  });
  it('copies source and says so', async () => {
    const source = path.join(dir, 'src.bin');
    const target = path.join(dir, 'copy.bin');
    await writeFile(source, Buffer.alloc(1234, 7));
    const ui = recordingUi();
    const hook: ProvisionHook = { run: async () => ok(undefined) };
    const res = await fileBuilder.run({ source, target }, { ui, signal: new AbortController().signal, hook, packer: packerConfig(), communicators: async () => undefined });
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.lines, [`say Copying ${source} to ${target}`, 'say Copied 1234 bytes']);
    assert.deepEqual(await readFile(target), Buffer.alloc(1234, 7));
  });
  it("checks the options at prepare with Packer's messages", async () => {
    const ctx = { packer: packerConfig(), signal: new AbortController().signal };
    assert.deepEqual(prepareMessages(await fileBuilder.prepare!({}, ctx)), { errors: ['target required'], warnings: ['Both source file and contents are blank; target will have no content'] });
    assert.deepEqual(prepareMessages(await fileBuilder.prepare!({ target: 't', source: 's', content: 'c' }, ctx)), { errors: ['Cannot specify source file AND content'], warnings: [] });
  });
});
