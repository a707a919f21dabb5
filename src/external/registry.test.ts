// The plugin registry starts a plugin's process only while the command is running: a
// component asked for just before close() (the command ending, e.g. on Ctrl-C) must not
// start one once the plugin code has loaded. The plugin is a shell script installed in
// Packer's layout (test/support/fake-plugin.ts) that answers `describe` and, asked to
// `start`, leaves a marker file and exits.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sha256Of, writeExecutable } from '../../test/support/fake-plugin.js';
import type { ComponentRegistry } from '../sdk/component.js';
import { goPlatform } from './discovery/index.js';
import { pluginRegistry } from './registry.js';

const none: ComponentRegistry = { has: () => false, load: () => Promise.resolve(undefined), names: () => [] };

/** Installs plugin `probe` (one builder, `probe`) whose `start` touches `marker`. */
function installProbe(root: string, marker: string): void {
  const { os, arch, ext } = goPlatform();
  const describeJson = JSON.stringify({ version: '1.0.0', sdk_version: '0.5.2', api_version: 'x5.0', builders: ['-packer-default-plugin-name-'], post_processors: [], provisioners: [], datasources: [] });
  const text = ['#!/bin/sh', `if [ "$1" = describe ]; then printf '%s\\n' '${describeJson}'; exit 0; fi`, `touch '${marker}'`, 'exit 1', ''].join('\n');
  const file = writeExecutable(path.join(root, 'github.com', 'test', 'probe', `packer-plugin-probe_v1.0.0_x5.0_${os}_${arch}${ext}`), text);
  writeFileSync(`${file}_SHA256SUM`, sha256Of(text));
}

describe('pluginRegistry and close()', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-registry-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const closeFirst of [false, true]) {
    it(closeFirst ? 'starts no plugin process for a component asked for just before close()' : 'starts the plugin process for a component asked for while open', async () => {
      const root = path.join(dir, String(closeFirst));
      const marker = path.join(dir, `started-${String(closeFirst)}`);
      installProbe(root, marker);
      const { registry, diagnostics } = await pluginRegistry({ builtins: none, env: { ...process.env, PACKER_PLUGIN_PATH: root }, onFailure: () => undefined });
      assert.deepEqual(diagnostics, []);
      assert.ok(registry.has('builder', 'probe'));
      const loading = registry.load('builder', 'probe');
      if (closeFirst) await registry.close();
      assert.equal(await loading, undefined);
      if (!closeFirst) await registry.close();
      assert.equal(existsSync(marker), !closeFirst);
    });
  }
});
