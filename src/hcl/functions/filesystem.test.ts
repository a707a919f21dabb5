import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { stringVal, Value } from '../cty/value.js';
import { abspathFunc, basenameFunc, dirnameFunc, fileFunctions, pathexpandFunc } from './filesystem.js';
import type { CtyFunction } from './function.js';

// The layout of go-cty-funcs' filesystem testdata, plus a nested level and a symlink.
const root = mkdtempSync(path.join(tmpdir(), 'kiln-fs-'));
mkdirSync(path.join(root, 'testdata/sub'), { recursive: true });
writeFileSync(path.join(root, 'testdata/hello.txt'), 'Hello World');
writeFileSync(path.join(root, 'testdata/hello.tmpl'), 'Hello, ${name}!');
writeFileSync(path.join(root, 'testdata/sub/deep.txt'), 'deep');
writeFileSync(path.join(root, 'testdata/icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]));
symlinkSync('hello.txt', path.join(root, 'testdata/link.txt'));
after(() => rmSync(root, { recursive: true, force: true }));

const fns = fileFunctions({ baseDir: root, home: () => '/home/someone' });

function call(fn: CtyFunction, ...args: string[]): unknown {
  const r = fn.call(args.map((a) => stringVal(a)));
  if (!(r instanceof Value)) return `error: ${r.message}`;
  if (r.type.kind === 'set') return r.asArray().map((v) => v.asString());
  return r.type.kind === 'bool' ? r.asBool() : r.asString();
}

test('fileset: go-cty-funcs TestFileSet rows, relative to the base directory', () => {
  const rows: ReadonlyArray<[string, string, string[] | 'error']> = [
    ['.', 'testdata*', []],
    ['.', 'testdata', []],
    ['.', '{testdata,missing}', []],
    ['.', 'testdata/missing', []],
    ['.', 'testdata/missing*', []],
    ['.', '*/missing', []],
    ['.', '**/missing', []],
    ['.', 'testdata/*.txt', ['testdata/hello.txt', 'testdata/link.txt']],
    ['.', 'testdata/hello.txt', ['testdata/hello.txt']],
    ['.', 'testdata/hello.???', ['testdata/hello.txt']],
    ['.', 'testdata/hello*', ['testdata/hello.tmpl', 'testdata/hello.txt']],
    ['.', 'testdata/hello.{tmpl,txt}', ['testdata/hello.tmpl', 'testdata/hello.txt']],
    ['.', '*/hello.txt', ['testdata/hello.txt']],
    ['.', '**/hello*', ['testdata/hello.tmpl', 'testdata/hello.txt']],
    ['.', '**/*.txt', ['testdata/hello.txt', 'testdata/link.txt', 'testdata/sub/deep.txt']],
    ['.', 'testdata/[a-h]*.t[!m]?', ['testdata/hello.txt']],
    ['.', '[', 'error'],
    ['testdata', 'missing', []],
    ['testdata', '*.txt', ['hello.txt', 'link.txt']],
    ['testdata', 'hello.???', ['hello.txt']],
    ['testdata/sub/..', 'hello*', ['hello.tmpl', 'hello.txt']],
    ['.', '\\', []],
  ];
  for (const [dir, pattern, want] of rows) {
    const got = call(fns.fileset, dir, pattern);
    if (want === 'error') assert.match(String(got), /^error: failed to glob pattern \(.*\[\): syntax error in pattern$/);
    else assert.deepEqual(got, want, `fileset(${dir}, ${pattern})`);
  }
  assert.deepEqual(call(fns.fileset, path.join(root, 'testdata'), 'sub/*'), ['sub/deep.txt'], 'an absolute path ignores the base');
});

test('file and fileexists resolve against the base directory and expand ~', () => {
  assert.equal(call(fns.file, 'testdata/hello.txt'), 'Hello World');
  assert.equal(call(fns.file, 'testdata/missing'), `error: no file exists at ${root}/testdata/missing`);
  assert.equal(call(fns.file, 'testdata/icon.png'), 'error: contents of testdata/icon.png are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead');
  assert.equal(call(fns.file, '~/nope'), 'error: no file exists at /home/someone/nope');
  assert.equal(call(fns.file, '~other/x'), 'error: failed to expand ~: cannot expand user-specific home dir');
  assert.equal(call(fns.fileexists, 'testdata/hello.txt'), true);
  assert.equal(call(fns.fileexists, 'testdata/missing'), false);
  assert.match(String(call(fns.fileexists, '')), /^error: .* is not a regular file, but "drwx[-rwx]{6}"$/);
});

test('path functions follow Go path/filepath', () => {
  const rows: ReadonlyArray<[CtyFunction, string, string]> = [
    [basenameFunc, 'testdata/hello.txt', 'hello.txt'],
    [basenameFunc, '', '.'],
    [basenameFunc, '/a/b/', 'b'],
    [basenameFunc, '///', '/'],
    [dirnameFunc, 'foo/bar/baz.txt', 'foo/bar'],
    [dirnameFunc, 'baz.txt', '.'],
    [dirnameFunc, '', '.'],
    [dirnameFunc, '/', '/'],
    [dirnameFunc, '/a//b/../c', '/a'],
    [abspathFunc, '/a/./b/../c/', '/a/c'],
    [abspathFunc, 'x/y', `${process.cwd()}/x/y`],
    [pathexpandFunc, '/root/file', '/root/file'],
    [pathexpandFunc, '/', '/'],
  ];
  for (const [fn, input, want] of rows) assert.equal(call(fn, input), want, input);
  const home = process.env['HOME']!;
  assert.equal(call(pathexpandFunc, '~/another/test/file'), path.join(home, 'another/test/file'));
  assert.equal(call(pathexpandFunc, '~'), home);
});
