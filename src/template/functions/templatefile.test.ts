/**
 * Packer's TestTemplateFile table (hcl2template/function/templatefile_test.go) in our
 * own words, over the same testdata files written to a temporary directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { rawEquals } from '../../hcl/cty/equals.js';
import { mark } from '../../hcl/cty/marks.js';
import { stringType } from '../../hcl/cty/type.js';
import type { Value } from '../../hcl/cty/value.js';
import { Value as CtyValue, emptyObjectVal, goString, listVal, mapVal, mapValEmpty, objectVal, stringVal, trueVal, unknownVal } from '../../hcl/cty/value.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { ArgError } from '../../hcl/functions/function.js';
import { joinFunc } from '../../hcl/functions/text.js';
import { makeTemplateFileFunc } from './templatefile.js';

const root = mkdtempSync(path.join(tmpdir(), 'kiln-tmpl-'));
mkdirSync(path.join(root, 'testdata'));
const files: Record<string, string | Buffer> = {
  'hello.txt': 'Hello World',
  'hello.tmpl': 'Hello, ${name}!',
  'func.tmpl': 'The items are ${join(", ", list)}',
  'list.tmpl': '%{ for x in list ~}\n- ${x}\n%{ endfor ~}\n',
  'recursive.tmpl': '${templatefile("recursive.tmpl", {})}',
  'bare.tmpl': '${val}',
  'icon.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]),
};
for (const [name, body] of Object.entries(files)) writeFileSync(path.join(root, 'testdata', name), body);
after(() => rmSync(root, { recursive: true, force: true }));

// As in Packer's test: the table offers `join`, and a `templatefile` entry that the stub replaces.
const table = new Map<string, CtyFunction>([['join', joinFunc]]);
const templatefile = makeTemplateFileFunc('.', () => table);
table.set('templatefile', templatefile);

const abc = listVal([stringVal('a'), stringVal('b'), stringVal('c')]);
const rows: ReadonlyArray<{ path: string; vars: Value; want?: Value; err?: string }> = [
  { path: 'testdata/hello.txt', vars: emptyObjectVal, want: stringVal('Hello World') },
  { path: 'testdata/icon.png', vars: emptyObjectVal, err: 'contents of testdata/icon.png are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead' },
  { path: 'testdata/missing', vars: emptyObjectVal, err: 'no file exists at testdata/missing' },
  { path: 'testdata/hello.tmpl', vars: mapVal({ name: stringVal('Jodie') }), want: stringVal('Hello, Jodie!') },
  { path: 'testdata/hello.tmpl', vars: mapVal({ 'name!': stringVal('Jodie') }), err: 'invalid template variable name "name!": must start with a letter, followed by zero or more letters, digits, and underscores' },
  { path: 'testdata/hello.tmpl', vars: objectVal({ name: stringVal('Jimbo') }), want: stringVal('Hello, Jimbo!') },
  { path: 'testdata/hello.tmpl', vars: emptyObjectVal, err: 'vars map does not contain key "name", referenced at testdata/hello.tmpl:1,10-14' },
  { path: 'testdata/func.tmpl', vars: objectVal({ list: abc }), want: stringVal('The items are a, b, c') },
  { path: 'testdata/recursive.tmpl', vars: mapValEmpty(stringType), err: 'testdata/recursive.tmpl:1,3-16: Error in function call; Call to function "templatefile" failed: cannot recursively call templatefile from inside templatefile call.' },
  { path: 'testdata/list.tmpl', vars: objectVal({ list: abc }), want: stringVal('- a\n- b\n- c\n') },
  { path: 'testdata/list.tmpl', vars: objectVal({ list: trueVal }), err: "testdata/list.tmpl:1,13-17: Iteration over non-iterable value; A value of type bool cannot be used as the collection in a 'for' expression." },
  // A template that is a single interpolation yields the value itself, not a string.
  { path: 'testdata/bare.tmpl', vars: objectVal({ val: trueVal }), want: trueVal },
];

test("templatefile: Packer's table", { concurrency: false }, () => {
  const cwd = process.cwd();
  process.chdir(root); // Packer's test uses "." as the base directory
  try {
    for (const row of rows) {
      const got = templatefile.call([stringVal(row.path), row.vars]);
      const label = `templatefile(${row.path}, ${goString(row.vars)})`;
      if (got instanceof ArgError) assert.ok(got.index === 0 || got.index === 1, `${label}: ArgError index ${got.index}`);
      if (row.err !== undefined) {
        assert.ok(!(got instanceof CtyValue), `${label}: succeeded; want error`);
        assert.equal(got.message, row.err, label);
      } else {
        if (!(got instanceof CtyValue)) assert.fail(`${label}: ${got.message}`);
        assert.ok(rawEquals(got, row.want!), `${label}: ${goString(got)}`);
      }
    }
  } finally {
    process.chdir(cwd);
  }
});

test('templatefile: relative to its base directory; unknown vars give unknown; marks carry over', () => {
  const fn = makeTemplateFileFunc(root, () => table);
  const hello = fn.call([stringVal('testdata/hello.tmpl'), objectVal({ name: mark(stringVal('Kim'), 'sensitive') })]);
  assert.ok(hello instanceof CtyValue && hello.asString() === 'Hello, Kim!' && hello.marks?.has('sensitive') === true);
  const unknown = fn.call([stringVal('testdata/hello.tmpl'), unknownVal(stringType)]);
  assert.ok(unknown instanceof CtyValue && !unknown.isKnown());
  const notMap = fn.call([stringVal('testdata/hello.tmpl'), stringVal('x')]);
  assert.ok(notMap instanceof ArgError && notMap.message === 'invalid vars value: must be a map');
});
