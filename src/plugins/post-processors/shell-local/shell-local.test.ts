import assert from 'node:assert/strict';
import type { PostProcessContext, PostProcessOutput } from '../../../sdk/component.js';
import type { Result } from '../../../sdk/result.js';
import { fail } from '../../../sdk/result.js';
import type { ShellLocalConfig } from '../../../sdk/shell-local/index.js';
import { prepareErrors } from '../../provisioners/test-helpers.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inputArtifact, ppContext, tempDir } from '../test-helpers.js';
import { shellLocalPostProcessor } from './index.js';

/** Prepares the post-processor with `config` and runs it with the prepared settings, as core does. */
async function prepareAndRun(config: ShellLocalConfig, ctx: PostProcessContext): Promise<Result<PostProcessOutput>> {
  const p = await shellLocalPostProcessor.prepare!(config, { packer: ctx.packer, signal: ctx.signal });
  if ('failed' in p) return fail(p.diagnostics.map((d) => d.summary).join('\n'));
  return shellLocalPostProcessor.postProcess(p.value, ctx);
}

describe('shell-local post-processor (real /bin/sh)', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  before(async () => ({ dir, cleanup } = await tempDir('shell-local-pp')));
  after(() => cleanup());

  it("runs inline commands with the artifact's generated data and keeps its input", async () => {
    const out = path.join(dir, 'out.txt');
    const art = inputArtifact(['a.img'], { generated: { ID: 'img-42' } });
    const ctx = ppContext(art, { buildName: 'web' });
    const res = await prepareAndRun(
      { inline: [`echo "{{ .ID }} $PACKER_BUILD_NAME $FOO" > ${out}`, 'echo done'], environment_vars: ['FOO={{ .ID }}-env'] },
      ctx,
    );
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    assert.equal(res.value.artifact, art);
    assert.equal(res.value.keep, true);
    assert.equal(res.value.forceOverride, true);
    assert.equal(await readFile(out, 'utf8'), 'img-42 web img-42-env\n');
    assert.ok(ctx.ui.lines.some((l) => l.startsWith('Running local shell script: ')));
    assert.ok(ctx.ui.lines.includes('done'));
  });

  it('puts `sh -c` before a one-element execute_command (the old string form)', async () => {
    const out = path.join(dir, 'exec.txt');
    const ctx = ppContext(inputArtifact([]));
    const res = await prepareAndRun({ command: 'true', execute_command: [`echo ran {{.Script}} > ${out}`] }, ctx);
    assert.ok(res.kind === 'ok', res.kind === 'error' ? res.error.message : '');
    assert.match(await readFile(out, 'utf8'), /^ran \/.+\n$/);
  });

  it('fails on a bad exit code and checks its options at prepare', async () => {
    const res = await prepareAndRun({ inline: ['exit 3'] }, ppContext(inputArtifact([])));
    assert.ok(res.kind === 'error');
    assert.match(res.error.message, /3/);
    const packer = ppContext(inputArtifact([])).packer;
    assert.deepEqual(await prepareErrors(shellLocalPostProcessor, {}, packer), ['Command, Inline, Script and Scripts options cannot all be empty.']);
  });
});
