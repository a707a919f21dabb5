import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inputArtifact, ppContext, tempDir } from '../test-helpers.js';
import type { ManifestConfig } from './index.js';
import { manifestPostProcessor } from './index.js';

const base: ManifestConfig = { output: '', strip_path: false, strip_time: true };

describe('manifest post-processor', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  before(async () => {
    ({ dir, cleanup } = await tempDir('manifest'));
    process.env['PACKER_RUN_UUID'] = 'run-1';
  });
  after(() => cleanup());

  it("writes Packer's format, keeps its input (keep and force) and removes its lock", async () => {
    const out = path.join(dir, 'm1.json');
    const disk = path.join(dir, 'disk.img');
    await writeFile(disk, 'x'.repeat(1234));
    const art = inputArtifact([disk, path.join(dir, 'missing')], { id: 'img-1' });
    const res = await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(art));
    assert.equal(res.kind, 'ok');
    assert.ok(res.kind === 'ok');
    assert.equal(res.value.artifact, art);
    assert.equal(res.value.keep, true);
    assert.equal(res.value.forceOverride, true);
    const text = await readFile(out, 'utf8');
    assert.equal(
      text,
      [
        '{',
        '  "builds": [',
        '    {',
        '      "name": "example",',
        '      "builder_type": "null",',
        '      "files": [',
        '        {',
        `          "name": "${disk}",`,
        '          "size": 1234',
        '        },',
        '        {',
        `          "name": "${path.join(dir, 'missing')}",`,
        '          "size": 0',
        '        }',
        '      ],',
        '      "artifact_id": "img-1",',
        '      "packer_run_uuid": "run-1",',
        '      "custom_data": null',
        '    }',
        '  ],',
        '  "last_run_uuid": "run-1"',
        '}',
      ].join('\n'),
    );
    assert.equal((await stat(out)).mode & 0o777, 0o664 & ~process.umask());
    assert.equal(existsSync(`${out}.lock`), false);
    assert.deepEqual(art.destroyed, 0);
  });

  it('appends to an existing manifest, strips paths, records time and renders custom data with generated data', async () => {
    const out = path.join(dir, 'm2.json');
    const before = Math.floor(Date.now() / 1000);
    await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([])));
    const art = inputArtifact([path.join(dir, 'sub', 'a.box')], { generated: { ID: 'i-123' } });
    const cfg: ManifestConfig = { output: out, strip_path: true, strip_time: false, custom_data: { zeta: 'z', id: '{{ .ID }} <&>', build: '{{ build_name }}' } };
    const res = await manifestPostProcessor.postProcess(cfg, ppContext(art, { buildName: 'b2', builderType: 'docker' }));
    assert.equal(res.kind, 'ok');
    const text = await readFile(out, 'utf8');
    const m = JSON.parse(text) as { builds: Record<string, unknown>[]; last_run_uuid: string };
    assert.equal(m.builds.length, 2);
    assert.equal(m.builds[0]?.['files'], null);
    assert.equal('build_time' in (m.builds[0] ?? {}), false);
    const second = m.builds[1] ?? {};
    assert.equal(second['name'], 'b2');
    assert.equal(second['builder_type'], 'docker');
    assert.ok(typeof second['build_time'] === 'number' && second['build_time'] >= before);
    assert.deepEqual(second['files'], [{ name: 'a.box', size: 0 }]);
    assert.deepEqual(second['custom_data'], { build: 'b2', id: 'i-123 <&>', zeta: 'z' });
    // Go's encoder: sorted map keys, HTML characters escaped.
    assert.match(text, /"custom_data": \{\n {8}"build": "b2",\n {8}"id": "i-123 \\u003c\\u0026\\u003e",\n {8}"zeta": "z"\n {6}\}/);
  });

  it('with -force starts over when the manifest is from another run, and appends within the same run', async () => {
    const out = path.join(dir, 'm3.json');
    await writeFile(out, JSON.stringify({ builds: [{ name: 'old', extra: 1, BUILDER_TYPE: 'qemu' }], last_run_uuid: 'run-0' }));
    await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([])));
    let m = JSON.parse(await readFile(out, 'utf8')) as { builds: Record<string, unknown>[] };
    // Without -force the old entry stays, reduced to Packer's fields (keys matched regardless of case).
    assert.deepEqual(m.builds[0], { name: 'old', builder_type: 'qemu', files: null, artifact_id: '', packer_run_uuid: '', custom_data: null });
    process.env['PACKER_RUN_UUID'] = 'run-2';
    await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([]), { force: true }));
    await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([]), { force: true, buildName: 'again' }));
    m = JSON.parse(await readFile(out, 'utf8')) as { builds: Record<string, unknown>[] };
    assert.deepEqual(
      m.builds.map((b) => [b['name'], b['packer_run_uuid']]),
      [
        ['example', 'run-2'],
        ['again', 'run-2'],
      ],
    );
    process.env['PACKER_RUN_UUID'] = 'run-1';
  });

  it('serialises parallel builds of one process writing the same manifest', async () => {
    const out = path.join(dir, 'm4.json');
    const names = Array.from({ length: 12 }, (_, i) => `b${i}`);
    const results = await Promise.all(names.map((n) => manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([]), { buildName: n }))));
    assert.ok(results.every((r) => r.kind === 'ok'));
    const m = JSON.parse(await readFile(out, 'utf8')) as { builds: { name: string }[] };
    assert.deepEqual(m.builds.map((b) => b.name).sort(), [...names].sort());
  });

  it("reports a manifest it cannot parse with Packer's message", async () => {
    const out = path.join(dir, 'm5.json');
    await writeFile(out, '{"builds": {}}');
    const res = await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([])));
    assert.equal(res.kind, 'error');
    assert.ok(res.kind === 'error');
    assert.equal(res.error.message, `Unable to parse content from ${out}: json: cannot unmarshal object into Go struct field ManifestFile.builds of type []manifest.Artifact`);
    await writeFile(out, 'not json');
    const res2 = await manifestPostProcessor.postProcess({ ...base, output: out }, ppContext(inputArtifact([])));
    assert.ok(res2.kind === 'error' && res2.error.message.startsWith(`Unable to parse content from ${out}: `));
  });

  it('reports a custom_data template error', async () => {
    const res = await manifestPostProcessor.postProcess({ ...base, output: path.join(dir, 'm6.json'), custom_data: { a: '{{ .Nope' } }, ppContext(inputArtifact([])));
    assert.ok(res.kind === 'error' && res.error.message.startsWith('Error interpolating custom data: '));
  });
});
