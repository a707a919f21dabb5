import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expression } from './ast.js';
import { lexExpression } from './lex.js';
import { isValidIdentifier, parseConfig, parseExpression, parseTemplate, parseTraversalAbs } from './parse.js';

/** A compact rendering of an expression tree, for readable assertions. */
function show(e: Expression): string {
  switch (e.kind) {
    case 'literal':
      switch (e.value.kind) {
        case 'number': return e.value.text;
        case 'string': return JSON.stringify(e.value.value);
        case 'bool': return String(e.value.value);
        case 'null': return 'null';
        default: return `<${e.value.kind}>`;
      }
    case 'template': return `tmpl(${e.parts.map(show).join(', ')})`;
    case 'template-wrap': return `wrap(${show(e.wrapped)})`;
    case 'template-join': return `join(${show(e.tuple)})`;
    case 'scope-traversal':
    case 'relative-traversal': {
      const steps = e.traversal.map((s) => (s.kind === 'root' ? s.name : s.kind === 'attr' ? `.${s.name}` : s.kind === 'index' ? `[${s.key.kind === 'number' ? s.key.text : s.key.kind === 'string' ? JSON.stringify(s.key.value) : s.key.kind}]` : '[*]')).join('');
      return e.kind === 'scope-traversal' ? steps : `${show(e.source)}${steps}`;
    }
    case 'function-call': return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'conditional': return `(${show(e.condition)} ? ${show(e.trueResult)} : ${show(e.falseResult)})`;
    case 'binary-op': return `(${show(e.lhs)} ${e.op} ${show(e.rhs)})`;
    case 'unary-op': return `${e.op === 'negate' ? '-' : '!'}${show(e.operand)}`;
    case 'object-cons': return `{${e.items.map((i) => `${show(i.key)}=${show(i.value)}`).join(', ')}}`;
    case 'object-cons-key': return e.forceNonLiteral ? `(${show(e.wrapped)})` : show(e.wrapped);
    case 'tuple-cons': return `[${e.exprs.map(show).join(', ')}]`;
    case 'for': return `for ${e.keyVar ?? ''},${e.valVar} in ${show(e.collExpr)}: ${e.keyExpr ? `${show(e.keyExpr)} => ` : ''}${show(e.valExpr)}${e.group ? '...' : ''}${e.condExpr ? ` if ${show(e.condExpr)}` : ''}`;
    case 'splat': return `splat(${show(e.source)}, ${show(e.each)})`;
    case 'anon-symbol': return '@';
    case 'index': return `${show(e.collection)}[${show(e.key)}]`;
    case 'parentheses': return `(${show(e.expression)})`;
    case 'syntax-error': return '<error>';
  }
}

function expr(src: string): string {
  const r = parseExpression(src, 't.hcl');
  assert.deepEqual(r.diagnostics.map((d) => d.summary), [], `diagnostics for ${src}`);
  return show(r.value);
}

describe('native syntax parser: expressions', () => {
  it('applies HCL operator precedence, left-associative', () => {
    assert.equal(expr('1 + 2 * 3 - 4'), '((1 + (2 * 3)) - 4)');
    assert.equal(expr('a || b && c == d'), '(a || (b && (c == d)))');
    assert.equal(expr('-46+5'), '(-46 + 5)');
    assert.equal(expr('!a.b'), '!a.b');
    assert.equal(expr('a ? b : c ? d : e'), '(a ? b : (c ? d : e))');
  });
  it('builds traversals, legacy indexes, index expressions and splats', () => {
    assert.equal(expr('var.a[0]["k"].b'), 'var.a[0]["k"].b');
    assert.equal(expr('a.0.b'), 'a[0].b');
    assert.equal(expr('a[b]'), 'a[b]');
    assert.equal(expr('a[*].b.c'), 'splat(a, @.b.c)');
    assert.equal(expr('a.*.b'), 'splat(a, @.b)');
    assert.equal(expr('f(x).y'), 'f(x).y');
  });
  it('parses calls with namespaces and expansion', () => {
    assert.equal(expr('provider::ns::fn(1, 2)'), 'provider::ns::fn(1, 2)');
    assert.equal(expr('concat(a, b...)'), 'concat(a, b...)');
    assert.equal(expr('f(\n  1,\n  2,\n)'), 'f(1, 2)');
  });
  it('parses collections and for expressions', () => {
    assert.equal(expr('{a = 1, "b" = 2, (c) = 3}'), '{a=1, tmpl("b")=2, ((c))=3}');
    assert.equal(expr('[1, 2,]'), '[1, 2]');
    assert.equal(expr('[for v in xs : v if v]'), 'for ,v in xs: v if v');
    assert.equal(expr('{for k, v in m : k => v...}'), 'for k,v in m: k => v...');
  });
  it('decodes string escapes and template escapes', () => {
    assert.equal(expr('"a\\n\\t\\"\\\\\\u00e9\\U0001F389 $${x} %%{y}"'), 'tmpl("a\\n\\t\\"\\\\é🎉 ${x} %{y}")');
    assert.equal(expr('"${x}"'), 'wrap(x)');
    assert.equal(expr('"a ${x} b"'), 'tmpl("a ", x, " b")');
  });
  it('handles template directives and strip markers', () => {
    assert.equal(expr('"%{if a}x%{else}y%{endif}"'), 'tmpl((a ? tmpl("x") : tmpl("y")))');
    assert.equal(expr('"%{for v in xs}${v},%{endfor}"'), 'tmpl(join(for ,v in xs: tmpl(v, ",")))');
    assert.equal(expr('"a   ${~ x ~}   b"'), 'tmpl("a", x, "b")');
  });
  it('reports HCL diagnostics for invalid escapes', () => {
    const r = parseExpression('"\\q"', 't.hcl');
    assert.deepEqual(r.diagnostics.map((d) => [d.summary, d.detail]), [['Invalid escape sequence', 'The symbol "q" is not a valid escape sequence selector.']]);
  });
  it('keeps ranges: srcRange and startRange', () => {
    const r = parseExpression('foo(1)', 't.hcl').value;
    assert.equal(r.srcRange.end.column, 7);
    assert.equal(r.startRange.end.column, 5);
  });
});

describe('native syntax parser: config files', () => {
  it('parses attributes and blocks with labels', () => {
    const r = parseConfig('a = 1\nsource "docker" base {\n  image = "x"\n}\nb { c = 2 }\n', 't.hcl');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual([...r.value.attributes.keys()], ['a']);
    const [src, b] = r.value.blocks;
    assert.equal(src?.type, 'source');
    assert.deepEqual(src?.labels, ['docker', 'base']);
    assert.deepEqual([...(src?.body.attributes.keys() ?? [])], ['image']);
    assert.deepEqual([...(b?.body.attributes.keys() ?? [])], ['c']);
    assert.equal(src?.closeBraceRange.start.line, 4);
  });
  it('parses heredocs, flush heredocs strip the common indent', () => {
    const r = parseConfig('a = <<EOT\n  x\nEOT\nb = <<-EOT\n    x\n      y\n    EOT\n', 't.hcl');
    assert.deepEqual(r.diagnostics, []);
    const a = r.value.attributes.get('a');
    const b = r.value.attributes.get('b');
    assert.ok(a && b);
    assert.equal(show(a.expr), 'tmpl("  x\\n")');
    assert.equal(show(b.expr), 'tmpl("x\\n  y\\n")');
  });
  it('reports a redefined attribute', () => {
    const r = parseConfig('a = 1\na = 2\n', 't.hcl');
    assert.deepEqual(r.diagnostics.map((d) => d.detail), ['The argument "a" was already set at t.hcl:1,1-2. Each argument may be set only once.']);
  });
  it('recovers after an error and keeps parsing', () => {
    const r = parseConfig('a = \nb = 2\nc { d = 1, e = 2 }\nf = 3\n', 't.hcl');
    assert.deepEqual(r.diagnostics.map((d) => d.summary), ['Invalid expression', 'Invalid single-argument block definition']);
    assert.ok(r.value.attributes.has('f'));
  });
});

describe('native syntax parser: templates and traversals', () => {
  it('parses a bare template', () => {
    const r = parseTemplate('Hello, ${name}!\n%{ for x in xs ~}\n- ${x}\n%{ endfor ~}\n', 't.tpl');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(show(r.value), 'tmpl("Hello, ", name, "!\\n", join(for ,x in xs: tmpl("- ", x, "\\n")), "")');
  });
  it('parses absolute traversals', () => {
    const r = parseTraversalAbs('a.b[0]["c"]');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.value.map((s) => s.kind), ['root', 'attr', 'index', 'index']);
  });
});

describe('native syntax parser: robustness', () => {
  it('turns 10,000 nested parentheses into a diagnostic', () => {
    const r = parseExpression('('.repeat(10000) + '1' + ')'.repeat(10000));
    assert.deepEqual(r.diagnostics.map((d) => d.summary), ['Nesting too deep']);
  });
  it('turns 10,000 nested blocks and directives into a diagnostic', () => {
    assert.deepEqual(parseConfig('a {\n'.repeat(10000) + '}\n'.repeat(10000)).diagnostics.map((d) => d.summary), ['Nesting too deep']);
    assert.deepEqual(parseTemplate('%{if a}'.repeat(10000) + '%{endif}'.repeat(10000)).diagnostics.map((d) => d.summary), ['Nesting too deep']);
  });
  it('parses a 100,000-step traversal in linear time', () => {
    const r = parseExpression('a' + '.b'.repeat(100000));
    assert.equal(r.value.kind === 'scope-traversal' && r.value.traversal.length, 100001);
  });
});

describe('isValidIdentifier', () => {
  it('answers ASCII names as the scanner does (the fast path agrees with lexing)', () => {
    const alphabet = ['a', 'Z', '_', '-', '0', '9', '.', ' ', '$', '"', '\n', '#', '/', '*', '~', '%', '{'];
    const byLexing = (s: string): boolean => {
      const toks = lexExpression(s).stream;
      return toks.length === 2 && toks.type(0) === 'Ident' && toks.text(0) === s;
    };
    let seed = 7;
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const len = n % 5;
      for (let i = 0; i < len; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        s += alphabet[seed % alphabet.length];
      }
      assert.equal(isValidIdentifier(s), byLexing(s), JSON.stringify(s));
    }
    assert.equal(isValidIdentifier('ubuntu_22-04'), true);
    assert.equal(isValidIdentifier('ñame'), true);
    assert.equal(isValidIdentifier('a b'), false);
  });
});
