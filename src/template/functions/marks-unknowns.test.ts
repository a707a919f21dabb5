/**
 * Across Packer's whole table, through the evaluator: a sensitive argument gives a
 * sensitive result, and an unknown argument gives an unknown result of the type the
 * known call has (or of dynamic type where the result type depends on the value, as
 * for `jsondecode`). Each function gets one call that succeeds, then each argument in
 * turn is marked, then made unknown.
 */
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasMark, mark } from '../../hcl/cty/marks.js';
import { stringType, typeEquals } from '../../hcl/cty/type.js';
import type { Value } from '../../hcl/cty/value.js';
import { goString, unknownVal } from '../../hcl/cty/value.js';
import { EvalContext } from '../../hcl/eval-context.js';
import { NativeExpression } from '../../hcl/syntax/eval-expression.js';
import { parseExpression } from '../../hcl/syntax/parse.js';
import { SecretResolver } from './secret-resolver.js';
import { packerFunctions, PACKER_FUNCTION_NAMES } from './table.js';

const root = mkdtempSync(path.join(tmpdir(), 'kiln-marks-'));
writeFileSync(path.join(root, 'hello.txt'), 'Hello World');
writeFileSync(path.join(root, 'hello.tmpl'), 'Hello, ${name}!');
after(() => rmSync(root, { recursive: true, force: true }));
const abs = (f: string): string => JSON.stringify(path.join(root, f));

// rsadecrypt needs a real key pair; the ciphertext is made here with Node's crypto.
const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
const RSA_KEY = JSON.stringify(keys.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
const CIPHER = JSON.stringify(publicEncrypt({ key: keys.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('message')).toString('base64'));

/**
 * One successful call per function, as argument sources. Left out: `try`, `can` and
 * `convert` take expressions, not values (see the last test); `timestamp` and `uuidv4`
 * take no arguments; the secret sources need servers (secrets.test.ts).
 */
const SAMPLES: Readonly<Record<string, readonly string[]>> = {
  abs: ['-3'], abspath: ['"a/b"'], alltrue: ['[true]'], anytrue: ['[false, true]'],
  base64decode: ['"aGk="'], base64encode: ['"hi"'], base64gzip: ['"hi"'], basename: ['"/a/b"'],
  bcrypt: ['"pw"', '4'], ceil: ['1.5'], chomp: ['"x\\n"'], chunklist: ['[1, 2, 3]', '2'],
  cidrhost: ['"10.0.0.0/8"', '3'], cidrnetmask: ['"10.0.0.0/8"'], cidrsubnet: ['"10.0.0.0/8"', '8', '2'],
  cidrsubnets: ['"10.0.0.0/8"', '4', '4'], coalesce: ['""', '"b"'], coalescelist: ['[]', '["a"]'],
  compact: ['["a", ""]'], concat: ['[1]', '[2]'], contains: ['["a"]', '"a"'], csvdecode: ['"a,b\\n1,2\\n"'],
  dirname: ['"/a/b"'], distinct: ['["a", "a"]'], element: ['["a", "b"]', '1'], endswith: ['"hello"', '"lo"'],
  file: [abs('hello.txt')], filebase64: [abs('hello.txt')], fileexists: [abs('hello.txt')], fileset: [JSON.stringify(root), '"*.txt"'],
  flatten: ['[[1], [2]]'], floor: ['1.5'], format: ['"%s-%d"', '"a"', '1'], formatdate: ['"YYYY"', '"2020-01-02T03:04:05Z"'],
  formatlist: ['"%s!"', '["a", "b"]'], indent: ['2', '"a\\nb"'], index: ['["a", "b"]', '"b"'], join: ['","', '["a", "b"]'],
  jsondecode: ['"{\\"a\\": 1}"'], jsonencode: ['{a = 1}'], keys: ['convert({a = 1}, map(number))'], legacy_isotime: ['"2006"'], legacy_strftime: ['"%Y"'],
  length: ['split(",", "a,b")'], log: ['8', '2'], lookup: ['{a = "x"}', '"a"', '"d"'], lower: ['"A"'], max: ['1', '2'], md5: ['"x"'],
  merge: ['{a = 1}', '{b = 2}'], min: ['1', '2'], parseint: ['"ff"', '16'], pathexpand: ['"~/x"'], pow: ['2', '3'],
  range: ['3'], regex: ['"(a)(b)"', '"ab"'], regex_replace: ['"abc"', '"b"', '"x"'], regexall: ['"a"', '"aa"'],
  replace: ['"abc"', '"b"', '"x"'], reverse: ['[1, 2]'], rfc3339_parse: ['"2020-01-02T03:04:05Z"'], rsadecrypt: [CIPHER, RSA_KEY],
  setintersection: ['["a", "b"]', '["b"]'], setproduct: ['["a"]', '["b"]'], setunion: ['["a"]', '["b"]'],
  sha1: ['"x"'], sha256: ['"x"'], sha512: ['"x"'], signum: ['-2'], slice: ['[1, 2, 3]', '1', '2'], sort: ['["b", "a"]'],
  split: ['","', '"a,b"'], startswith: ['"hello"', '"he"'], strcontains: ['"hello"', '"ll"'], strrev: ['"abc"'],
  substr: ['"hello"', '1', '2'], sum: ['[1, 2]'], templatefile: [abs('hello.tmpl'), '{name = "x"}'],
  textdecodebase64: ['"aGk="', '"UTF-8"'], textencodebase64: ['"hi"', '"UTF-16LE"'], timeadd: ['"2020-01-02T03:04:05Z"', '"1h"'],
  title: ['"a b"'], trim: ['"xax"', '"x"'], trimprefix: ['"xa"', '"x"'], trimspace: ['" a "'], trimsuffix: ['"ax"', '"x"'],
  unix_timestamp_parse: ['1600000000'], upper: ['"a"'], urlencode: ['"a b"'], uuidv5: ['"dns"', '"example.com"'],
  values: ['{a = 1}'], yamldecode: ['"a: 1"'], yamlencode: ['{a = 1}'], zipmap: ['["a"]', '[1]'],
};
const LEFT_OUT = new Set(['try', 'can', 'convert', 'timestamp', 'uuidv4', 'vault', 'consul_key', 'aws_secretsmanager', 'aws_secretsmanager_raw']);

/**
 * Functions whose result type depends on an argument's value (a tuple element picked by
 * an index, a decoded document, a template's result): with that argument unknown, cty
 * returns an unknown of dynamic type, or of a collection of dynamic elements.
 */
const VALUE_TYPED = new Set(['coalescelist', 'csvdecode', 'element', 'flatten', 'jsondecode', 'lookup', 'regex', 'regexall', 'slice', 'templatefile', 'yamldecode', 'zipmap']);

/**
 * cty passes a marked default of `lookup` on only when it is used (its parameters allow
 * marks and it re-marks the result with the collection's and key's marks only).
 */
const MARK_NOT_USED = new Set(['lookup#2']);

const functions = packerFunctions({ baseDir: root, secrets: new SecretResolver({ fetchSync: false }) });

function call(name: string, args: readonly Value[]): { value: Value; errors: string[] } {
  const src = `${name}(${args.map((_, i) => `a${i}`).join(', ')})`;
  const variables = Object.fromEntries(args.map((v, i) => [`a${i}`, v]));
  const r = new NativeExpression(parseExpression(src).value).value(new EvalContext({ variables, functions }));
  return { value: r.value, errors: r.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`) };
}

function sampleArgs(name: string): Value[] {
  return SAMPLES[name]!.map((src) => {
    const r = new NativeExpression(parseExpression(src).value).value(new EvalContext({ functions }));
    assert.deepEqual(r.diagnostics, [], `${name} sample ${src}`);
    return r.value;
  });
}

describe('every function with a sample call', () => {
  it('covers the table but for the functions left out', () => {
    assert.deepEqual(PACKER_FUNCTION_NAMES.filter((n) => !LEFT_OUT.has(n) && SAMPLES[n] === undefined), []);
  });

  for (const name of Object.keys(SAMPLES)) {
    it(`${name}: sensitive in, sensitive out; unknown in, unknown out`, () => {
      const args = sampleArgs(name);
      const known = call(name, args);
      assert.deepEqual(known.errors, [], `${name} sample call`);
      for (let i = 0; i < args.length; i++) {
        const marked = args.map((a, j) => (j === i ? mark(a, 'sensitive') : a));
        const m = call(name, marked);
        assert.deepEqual(m.errors, [], `${name} with argument ${i} sensitive`);
        assert.equal(hasMark(m.value, 'sensitive'), !MARK_NOT_USED.has(`${name}#${i}`), `${name} with argument ${i} sensitive gave ${goString(m.value)}`);

        const unknown = args.map((a, j) => (j === i ? unknownVal(a.type) : a));
        const u = call(name, unknown);
        assert.deepEqual(u.errors, [], `${name} with argument ${i} unknown`);
        assert.ok(!u.value.isKnown(), `${name} with argument ${i} unknown gave ${goString(u.value)}`);
        const typeOk = typeEquals(u.value.type, known.value.type) || (VALUE_TYPED.has(name) && (u.value.type.kind === 'dynamic' || u.value.type.kind === known.value.type.kind));
        assert.ok(typeOk, `${name} with argument ${i} unknown: ${goString(u.value)}, known result ${goString(known.value)}`);
      }
    });
  }
});

describe('try, can and convert', () => {
  it('pass marks and unknowns through', () => {
    const s = mark(unknownVal(stringType), 'sensitive');
    for (const src of ['try(a0, "x")', 'can(a0)', 'convert(a0, string)']) {
      const r = new NativeExpression(parseExpression(src).value).value(new EvalContext({ variables: { a0: s }, functions }));
      assert.deepEqual(r.diagnostics, [], src);
      assert.ok(!r.value.isKnown(), `${src}: ${goString(r.value)}`);
    }
  });
});
