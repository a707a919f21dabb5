import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXER_CASES } from '../../../test/support/fix-cases.js';
import { FixError, type JsonObject } from './decode.js';
import { fixOutputText } from './encode.js';
import { fixTemplateText, validateFixed } from './fix.js';
import { FIXERS } from './fixers.js';

/** Packer 1.16's fix.FixerOrder. */
const PACKER_ORDER = [
  'iso-md5', 'createtime', 'virtualbox-gaattach', 'pp-vagrant-override', 'virtualbox-rename', 'vmware-rename',
  'parallels-headless', 'parallels-deprecations', 'sshkeypath', 'sshdisableagent', 'scaleway-access-key',
  'manifest-filename', 'amazon-shutdown_behavior', 'amazon-enhanced-networking', 'amazon-private-ip',
  'amazon-temp-sec-cidrs', 'docker-email', 'docker-tag-tags', 'powershell-escapes', 'vmware-compaction',
  'hyperv-deprecations', 'hyperv-vmxc-typo', 'hyperv-cpu-and-ram', 'clean-image-name', 'spot-price-auto-product',
  'qemu-disk-size', 'galaxy-command', 'comm-config', 'ssh-wait-timeout', 'vsphere-iso-net-disk',
  'iso-checksum-type-and-url', 'qemu-host-port', 'azure-exclude_from_latest', 'proxmox-type',
];

function applyOne(name: string, input: JsonObject): JsonObject | { error: string } {
  const fixer = FIXERS.find((f) => f.name === name);
  if (fixer === undefined) assert.fail(`no fixer ${name}`);
  try {
    return fixer.fix(structuredClone(input));
  } catch (e) {
    if (e instanceof FixError) return { error: e.message };
    throw e;
  }
}

describe('fix: the fixers', () => {
  it('are all of Packer 1.16, in its order', () => {
    assert.deepEqual(FIXERS.map((f) => f.name), PACKER_ORDER);
  });

  for (const name of PACKER_ORDER) {
    describe(name, () => {
      const cases = FIXER_CASES.filter((c) => c.fixer === name);
      it('has cases', () => assert.ok(cases.length > 0));
      for (const c of cases) it(c.title, () => assert.deepEqual(applyOne(name, c.input), c.expected));
    });
  }

  it('write builders back as null when the template has none', () => {
    assert.deepEqual(applyOne('vmware-rename', { variables: {} }), { variables: {}, builders: null });
  });

  it('reject a builder that is not an object, with mapstructure\'s message', () => {
    assert.deepEqual(applyOne('iso-md5', { builders: ['x', { type: 'a' }, 3] }), {
      error: "2 error(s) decoding:\n\n* 'Builders[0]' expected a map, got 'string'\n* 'Builders[2]' expected a map, got 'float64'",
    });
  });

  it('read a case variant of a key when the exact one is absent, and write the exact one', () => {
    assert.deepEqual(applyOne('vmware-rename', { BUILDERS: [{ type: 'vmware' }] }), { BUILDERS: [{ type: 'vmware' }], builders: [{ type: 'vmware-iso' }] });
  });
});

describe('fix: the command text', () => {
  const fix = (json: string): string => {
    const r = fixTemplateText(Buffer.from(json));
    return r.kind === 'ok' ? r.output : r.message;
  };

  it('prints sorted, indented JSON with Go\'s escaping and numbers', () => {
    assert.equal(
      fixOutputText({ b: [1e21, 1e-7, 0.5, -0], a: '<&>\u2028', e: {}, l: [] }),
      '{\n  "a": "<\\u0026>\\u2028",\n  "b": [\n    1e+21,\n    1e-7,\n    0.5,\n    -0\n  ],\n  "e": {},\n  "l": []\n}\n',
    );
  });

  it('runs every fixer in order: iso_md5 ends as a typed checksum', () => {
    assert.equal(fix('{"builders":[{"type":"virtualbox","iso_md5":"abc"}]}'), '{\n  "builders": [\n    {\n      "iso_checksum": "md5:abc",\n      "type": "virtualbox-iso"\n    }\n  ]\n}\n');
  });

  it('reads only the first JSON value, as Go\'s decoder does', () => {
    assert.equal(fix('{"a": 1} trailing'), '{\n  "a": 1,\n  "builders": null\n}\n');
  });

  it('reports input that is not a JSON object as Packer does', () => {
    assert.equal(fix('[1]'), 'Error parsing template: json: cannot unmarshal array into Go value of type map[string]interface {}');
    assert.equal(fix('{"a":'), 'Error parsing template: unexpected EOF');
    assert.equal(fix('builders = 1'), "Error parsing template: invalid character 'b' looking for beginning of value");
  });

  it('validates the fixed template as Packer does', () => {
    assert.equal(validateFixed('{"builders":[{"type":"null"}]}'), undefined);
    assert.equal(validateFixed('{"builders": null}'), 'Error! Fixed template failed to validate: 1 error occurred:\n\t* at least one builder must be defined\n\n\n\nThis is usually caused by an error in the input template.\nPlease fix the error and try again.');
    assert.match(validateFixed('{"builders":[{"type":"null"}],"x":1}') ?? '', /^Error! Fixed template fails to parse: 1 error occurred:\n\t\* Unknown root level key in template: 'x'/);
  });
});
