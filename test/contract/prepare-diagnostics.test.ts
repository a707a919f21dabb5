/**
 * Core's prepare through the one decode path, with real components from the registry:
 * a component's prepare diagnostics point at the attribute they are about.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testPackerConfig } from '../support/packer-config.js';
import { EvalContext } from '../../src/hcl/eval-context.js';
import { parseNativeFile } from '../../src/hcl/syntax/body-file.js';
import { builtinRegistry } from '../../src/plugins/registry.js';
import { decodeComponentConfig } from '../../src/sdk/schema/decode-config.js';
import type { ComponentSpec } from '../../src/template/model.js';
import { decodeAndPrepare } from '../../src/core/prepare.js';

/** A component block of `type` whose body is `text`, decoded as the HCL2 loader decodes it. */
function block(type: string, text: string): ComponentSpec {
  const f = parseNativeFile(text, 'main.pkr.hcl');
  assert.deepEqual(f.diagnostics, []);
  const range = { filename: 'main.pkr.hcl', start: { line: 1, column: 1, byte: 0 }, end: { line: 1, column: 1, byte: 0 } };
  return { type, range, decode: (schema, build) => decodeComponentConfig(schema, { kind: 'hcl', body: f.body, ctx: new EvalContext(), range, label: type }, build?.data ? { data: build.data } : {}) };
}

async function prepareDiagnostics(kind: 'builder' | 'provisioner', type: string, text: string) {
  const definition = await builtinRegistry().load(kind, type);
  assert.ok(definition);
  const r = await decodeAndPrepare(definition, block(type, text), testPackerConfig(), new AbortController().signal, { keys: [] });
  return r.diagnostics.map((d) => `${d.subject?.filename}:${d.subject?.start.line}: ${d.summary}`);
}

describe('prepare diagnostics', () => {
  it('point at the attribute a builder names', async () => {
    const text = 'iso_url = "/base.qcow2"\niso_checksum = "none"\naccelerator = "tcg"\ncommunicator = "none"\n\nformat = "vmdk"\nshutdown_command = "poweroff"\n';
    assert.deepEqual(await prepareDiagnostics('builder', 'qemu', text), ["main.pkr.hcl:6: invalid format, only 'qcow2' or 'raw' are allowed"]);
  });

  it('point at the attribute a provisioner names', async () => {
    const text = 'inline = ["true"]\nscripts = ["/nonexistent/a.sh"]\n';
    assert.deepEqual(await prepareDiagnostics('provisioner', 'shell', text), [
      'main.pkr.hcl:1: Only a script file or an inline script can be specified, not both.',
      "main.pkr.hcl:2: Bad script '/nonexistent/a.sh': stat /nonexistent/a.sh: no such file or directory",
    ]);
  });
});
