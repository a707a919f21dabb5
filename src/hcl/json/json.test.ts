import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cty from '../cty/index.js';
import type { Diagnostic } from '../diagnostic.js';
import { EvalContext } from '../eval-context.js';
import { absTraversalForExpr, exprAsKeyword, exprCall, exprList, exprMap } from '../expression.js';
import { parseJSONExpression, parseJSONFile } from './parse.js';
import { parseJSONValue } from './parser.js';

const INITIAL = { line: 1, column: 1, byte: 0 };
const summaries = (ds: readonly Diagnostic[]) => ds.map((d) => d.summary);
const span = (d: Diagnostic | undefined) => d?.subject ? [d.subject.start.byte, d.subject.end.byte] : undefined;

describe('JSON parser', () => {
  it('reads values with HCL positions (tabs count two columns, strings by grapheme)', () => {
    const r = parseJSONValue('{\n\t"é👩‍👩‍👧": [1, true, null]}', 'f.json', INITIAL);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.node.kind, 'object');
    if (r.node.kind !== 'object') return;
    const p = r.node.attrs[0]!;
    assert.equal(p.name, 'é👩‍👩‍👧');
    assert.deepEqual(p.nameRange.start, { line: 2, column: 3, byte: 3 });
    assert.equal(p.nameRange.end.column, 7);
    assert.equal(p.nameRange.end.byte, 3 + 2 + 2 + 18);
  });

  it('reports HCL\'s diagnostics', () => {
    const cases: [string, string[], number[] | undefined][] = [
      ['undefined', ['Invalid JSON keyword'], [0, 9]],
      ['flase', ['Invalid JSON keyword'], [0, 5]],
      ['"he\\llo"', ['Invalid JSON string'], [5, 6]],
      ['.1', ['Invalid JSON number'], [0, 2]],
      ['1 2', ['Extraneous data after value'], [2, 3]],
      ['[', ['Missing value', 'Unclosed object'], [1, 1]],
      ['{"a": 1,}', ['Trailing comma in object'], [7, 8]],
      ['{"a" = 1}', ['Missing property value colon'], [5, 6]],
      ['{"a": 1]', ['Mismatched braces'], [8, 8]],
      ['[1 2]', ['Missing attribute seperator comma'], [5, 5]],
      ['{true: 1}', ['Invalid object property name'], [1, 5]],
      ['@', ['Invalid start of value'], [0, 1]],
    ];
    for (const [src, want, where] of cases) {
      const r = parseJSONValue(src, '', INITIAL);
      assert.deepEqual(summaries(r.diagnostics), want, src);
      assert.deepEqual(span(r.diagnostics[0]), where, src);
    }
    assert.equal(parseJSONValue('flase', '', INITIAL).diagnostics[0]?.detail, '"flase" is not a valid JSON keyword. Did you mean "false"?');
  });

  it('decodes string escapes like encoding/json', () => {
    const r = parseJSONValue('"a\\u00e9\\ud83d\\ude00\\n\\/"', '', INITIAL);
    assert.equal(r.node.kind === 'string' ? r.node.value : undefined, 'aé😀\n/');
  });

  it('requires an object or array at the root of a file', () => {
    const f = parseJSONFile('true', 'x.json');
    assert.deepEqual(summaries(f.diagnostics), ['Root value must be object']);
    assert.deepEqual(f.body.content({}).diagnostics, []);
  });
});

describe('JSON body', () => {
  it('reads arguments and labelled blocks, nested and in arrays', () => {
    const f = parseJSONFile('{"//": "c", "a": 1, "source": {"docker": {"x": {"image": "u"}, "y": [{"image": "v"}, {"image": "w"}]}}}', 'f.json');
    const r = f.body.content({ attributes: [{ name: 'a' }], blocks: [{ type: 'source', labelNames: ['type', 'name'] }] });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.content.blocks.map((b) => b.labels.join('.')), ['docker.x', 'docker.y', 'docker.y']);
    const img = r.content.blocks[2]!.body.content({ attributes: [{ name: 'image' }] }).content.attributes.get('image')!;
    assert.equal(img.expr.value(undefined).value.asString(), 'w');
  });

  it('reports extraneous properties with suggestions, and duplicates', () => {
    const f = parseJSONFile('{"nmae": 1, "name": 2, "name": 3}', 'f.json');
    const r = f.body.content({ attributes: [{ name: 'name' }, { name: 'other' }] });
    assert.deepEqual(r.diagnostics.map((d) => d.detail), [
      'The argument "name" was already set at f.json:1,13-22.',
      'No argument or block type is named "nmae".',
    ]);
    const typo = parseJSONFile('{"nme": 1}', 'f.json').body.content({ attributes: [{ name: 'name' }] });
    assert.deepEqual(typo.diagnostics.map((d) => d.detail), ['No argument or block type is named "nme". Did you mean "name"?']);
    assert.deepEqual(summaries(f.body.justAttributes().diagnostics), ['Duplicate attribute definition']);
  });

  it('reports label and value type problems', () => {
    const f = parseJSONFile('{"b": {}, "c": "str", "d": ["x"]}', 'f.json');
    const r = f.body.content({ blocks: [{ type: 'b', labelNames: ['name'] }, { type: 'c' }, { type: 'd', labelNames: ['n'] }] });
    assert.deepEqual(r.diagnostics.map((d) => d.detail), [
      'At least one object property is required, whose name represents the b block\'s name.',
      'Either a JSON object or a JSON array is required, representing the contents of one or more "c" blocks.',
      'A JSON object is required here, to specify n labels for this block.',
      'At least one object property is required, whose name represents the d block\'s n.',
    ]);
  });

  it('hides taken properties after partialContent', () => {
    const f = parseJSONFile('{"a": 1, "b": 2}', 'f.json');
    const first = f.body.partialContent({ attributes: [{ name: 'a' }] });
    assert.deepEqual(first.remain.content({ attributes: [{ name: 'b' }] }).diagnostics, []);
    assert.deepEqual([...first.remain.justAttributes().attributes.keys()], ['b']);
  });

  it('gives context strings from the nesting of objects and arrays', () => {
    const src = '{"build": [{"source": {"x": {"a": 1}}}]}';
    const f = parseJSONFile(src, 'f.json');
    assert.equal(f.file.contextString?.(src.indexOf('"a"')), 'build[0].source.x');
    assert.equal(f.file.contextString?.(0), '');
  });
});

describe('JSON expressions', () => {
  const ctx = new EvalContext({ variables: { name: cty.stringVal('world'), n: cty.numberIntVal(2) } });
  const expr = (src: string) => {
    const r = parseJSONExpression(src, 'e.json');
    assert.deepEqual(r.diagnostics, []);
    return r.expression;
  };

  it('evaluates strings as templates only with a context', () => {
    assert.equal(expr('"hi ${name}"').value(ctx).value.asString(), 'hi world');
    assert.equal(expr('"hi ${name}"').value(undefined).value.asString(), 'hi ${name}');
    assert.ok(cty.rawEquals(expr('"${n}"').value(ctx).value, cty.numberIntVal(2)));
    const obj = expr('{"k_${name}": [1, "${n}"], "z": null}').value(ctx).value;
    assert.equal(obj.type.kind, 'object');
    assert.ok(obj.asMap().has('k_world'));
  });

  it('places template diagnostics after the opening quote', () => {
    const r = expr('"${nope}"').value(ctx);
    assert.deepEqual(summaries(r.diagnostics), ['Unknown variable']);
    assert.deepEqual(span(r.diagnostics[0]), [3, 7]);
    const dup = expr('{"a": 1, "a": 2}').value(ctx);
    assert.deepEqual(summaries(dup.diagnostics), ['Duplicate object attribute']);
  });

  it('lists the variables of templates, keys included', () => {
    const vars = expr('{"${a.b}": ["${c[0]}"]}').variables();
    assert.deepEqual(vars.map((t) => t.map((s) => (s.kind === 'root' || s.kind === 'attr' ? s.name : '[]')).join('.')), ['a.b', 'c.[]']);
  });

  it('supports static analysis on strings, arrays and objects', () => {
    assert.equal(exprAsKeyword(expr('"string"')), 'string');
    assert.equal(absTraversalForExpr(expr('"var.x[0]"')).value?.length, 3);
    assert.equal(absTraversalForExpr(expr('1')).value, undefined);
    assert.equal(exprCall(expr('"list(string)"')).value?.name, 'list');
    assert.equal(exprList(expr('[1, 2]')).value?.length, 2);
    assert.equal(exprMap(expr('{"a": 1}')).value?.length, 1);
  });
});
