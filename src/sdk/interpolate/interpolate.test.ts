import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterpolateContext } from './context.js';
import { cleanAmazonName, cleanAzureName, cleanGoogleName } from './clean-resource-name.js';
import { sprintf } from './go-fmt.js';
import { goTimeFormat, strftime } from './go-time.js';
import * as cty from '../../hcl/cty/index.js';
import { anyToPlain } from '../schema/decode.js';
import { renderConfigValue } from './render-config.js';
import { render, renderExcluding, secretCallsIn } from './render.js';

// 2006-01-02T15:04:05.123456789 would be Go's reference; ours is a Monday afternoon.
const T = new Date(Date.UTC(2020, 0, 6, 15, 4, 5, 120));

type Case = [name: string, text: string, ctx: InterpolateContext, expect: string | { error: string }];

// Expectations follow Go's documented text/template behaviour and Packer's funcs.go.
const CASES: Case[] = [
  ['pipe into replace_all', '{{ "a-b" | replace_all "-" "_" }}', {}, 'a_b'],
  ['user with raw string', '{{user `x`}}', { userVariables: { x: 'X' } }, 'X'],
  ['user unset outside variables is empty', '{{user `y`}}', { userVariables: {} }, ''],
  ['user unset inside variables', '{{user `x`}}', { userVariables: {}, enableEnv: true },
    { error: 'template: root:1:2: executing "root" at <user `x`>: error calling user: Error: variable not set: x' }],
  ['data field', '{{ .Path }}', { data: { Path: '/tmp/script.sh' } }, '/tmp/script.sh'],
  ['nested field', '{{ .A.B }}', { data: { A: { B: 'deep' } } }, 'deep'],
  ['dot itself', '{{ . }}', { data: 'scalar' }, 'scalar'],
  ['missing key', '{{ .Missing }}', { data: {} }, '<no value>'],
  ['missing key with no data', '{{ .Missing }}', {}, '<no value>'],
  ['missing key through print is nil', '{{ print .Missing }}', { data: {} }, '<nil>'],
  ['trim markers', 'a  {{- "b" -}}  c', {}, 'abc'],
  ['minus without space is a number', '{{-3}}', {}, '-3'],
  ['comments', '{{/* c */}}x {{- /* d */ -}} y', {}, 'xy'],
  ['range over map sorted', '{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', { data: { b: 2, a: 'x' } }, 'a=x;b=2;'],
  ['range over slice with index', '{{range $i, $e := .}}{{$i}}:{{$e}} {{end}}', { data: ['a', 'b'] }, '0:a 1:b '],
  ['range else', '{{range .}}x{{else}}empty{{end}}', { data: [] }, 'empty'],
  ['range break', '{{range .}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', { data: ['a', 'b', 'c'] }, 'a'],
  ['range continue', '{{range .}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}', { data: ['a', 'b', 'c'] }, 'ac'],
  ['if else if', '{{if .a}}A{{else if .b}}B{{else}}C{{end}}', { data: { b: true } }, 'B'],
  ['with else', '{{with .x}}{{.}}{{else}}none{{end}}', { data: { x: '' } }, 'none'],
  ['variables', '{{ $x := "a" }}{{ $x = "b" }}{{ $x }}{{ $ }}', { data: 'D' }, 'bD'],
  ['parenthesised pipeline', '{{ (print "a" "b") | upper }}', {}, 'AB'],
  ['piped value is the last argument', '{{ "x" | printf "%s-%s" "y" }}', {}, 'y-x'],
  ['printf verbs', '{{printf "%s %d %v %q %x %t" "a" 3 1.5 "q" 255 true}}', {}, 'a 3 1.5 "q" ff true'],
  ['printf bad verb', '{{printf "%d" "x"}}', {}, '%!d(string=x)'],
  ['print spacing', '{{print 1 2 "a" 3}}', {}, '1 2a3'],
  ['println', '{{println 1 "x"}}', {}, '1 x\n'],
  ['len counts bytes', '{{len "héllo"}}', {}, '6'],
  ['index and slice', '{{index . 1}} {{slice "abcdef" 1 3}}', { data: ['a', 'b'] }, 'b bc'],
  ['comparisons', '{{eq 1 1}} {{ne "a" "b"}} {{lt 1 2}} {{ge 2.5 2.5}} {{eq "a" "b" "a"}}', {}, 'true true true true true'],
  ['incompatible comparison', '{{eq 1 "a"}}', {},
    { error: 'template: root:1:2: executing "root" at <eq 1 "a">: error calling eq: incompatible types for comparison' }],
  ['and or not', '{{and 1 0}} {{or 0 "x"}} {{not true}} {{and 1 2}}', {}, '0 x false 2'],
  ['escapers', '{{html "<a&\'b>"}} {{js "a\'b<"}} {{urlquery "a b&c"}}', {}, '&lt;a&amp;&#39;b&gt; a\\\'b\\u003C a+b%26c'],
  ['float printing', '{{ 1e6 }} {{ 123456.0 }} {{ 0.00001 }}', {}, '1e+06 123456 1e-05'],
  ['nil is not a command', '{{ nil }}', {}, { error: 'template: root:1:3: executing "root" at <nil>: nil is not a command' }],
  ['field of nil', '{{ .x.y }}', { data: { x: null } },
    { error: 'template: root:1:5: executing "root" at <.x.y>: nil pointer evaluating interface {}.y' }],
  ['field of string', '{{ .x.y }}', { data: { x: 's' } },
    { error: 'template: root:1:5: executing "root" at <.x.y>: can\'t evaluate field y in type string' }],
  ['wrong arity', '{{ upper }}', {}, { error: 'template: root:1:3: executing "root" at <upper>: wrong number of args for upper: want 1 got 0' }],
  ['literal of the wrong type', '{{ user 3 }}', { userVariables: {} },
    { error: 'template: root:1:8: executing "root" at <3>: expected string; found 3' }],
  ['whole command as context', '{{ split "aaaaaaaaaa" "," 3 }}', {},
    { error: 'template: root:1:3: executing "root" at <split "aaaaaaaaaa" "," 3>: error calling split: the substring 3 was unavailable using the separator value, ,, only 1 values were found' }],
  ['error on a later line', 'a\nb {{ env `X` }}', {},
    { error: 'template: root:2:5: executing "root" at <env `X`>: error calling env: env vars are not allowed here' }],
  // Parse errors, with Go's messages.
  ['lone brace', '{{ } }}', {}, { error: 'template: root:1: unexpected "}" in command' }],
  ['brace in operand', '{{ .Foo } }}', {}, { error: 'template: root:1: unexpected "}" in operand' }],
  ['undefined function', '{{nope}}', {}, { error: 'template: root:1: function "nope" not defined' }],
  ['missing value', '{{if}}{{end}}', {}, { error: 'template: root:1: missing value for if' }],
  ['stray end', 'x\n{{end}}', {}, { error: 'template: root:2: unexpected {{end}}' }],
  ['unclosed if', '{{if 1}}', {}, { error: 'template: root:1: unexpected EOF' }],
  ['unclosed action', '{{ foo', {}, { error: 'template: root:1: function "foo" not defined' }],
  ['unclosed action after a function', '{{ upper', {}, { error: 'template: root:1: unclosed action' }],
  ['else with', '{{with .a}}A{{else with .b}}{{.}}{{end}}', { data: { b: 'B' } }, 'B'],
  ['unterminated string', '{{ "abc }}', {}, { error: 'template: root:1: unterminated quoted string' }],
  ['bad character', '{{ .Foo}', {}, { error: "template: root:1: bad character U+007D '}'" }],
  ['undefined variable', '{{ $x }}', {}, { error: 'template: root:1: undefined variable "$x"' }],
  ['unclosed comment', '{{/* x }}', {}, { error: 'template: root:1: unclosed comment' }],
  ['non executable pipeline stage', '{{ "a" | "b" }}', {}, { error: 'template: root:1: non executable command in pipeline stage 2' }],
  ['break outside range', '{{break}}', {}, { error: 'template: root:1: {{break}} outside {{range}}' }],
  // Packer's functions.
  ['env enabled', '{{env `KILN_T`}}', { enableEnv: true, env: { KILN_T: 'v' } }, 'v'],
  ['env not allowed', '{{env `HOME`}}', {}, { error: 'template: root:1:2: executing "root" at <env `HOME`>: error calling env: env vars are not allowed here' }],
  ['build_name', '{{build_name}}/{{build_type}}', { buildName: 'n', buildType: 't' }, 'n/t'],
  ['build_name missing', '{{build_name}}', {}, { error: 'template: root:1:2: executing "root" at <build_name>: error calling build_name: build_name not available' }],
  ['timestamp', '{{timestamp}}', { initTime: T }, '1578323045'],
  ['isotime default is RFC3339', '{{isotime}}', { initTime: T }, '2020-01-06T15:04:05Z'],
  ['isotime layout', '{{isotime "Mon Jan _2 3:04PM MST 2006 .000"}}', { initTime: T }, 'Mon Jan  6 3:04PM UTC 2020 .120'],
  ['strftime', '{{strftime "%Y-%m-%d %H:%M:%S %z %a %L %q%%"}}', { initTime: T }, '2020-01-06 15:04:05 +0000 Mon .120 %q%'],
  ['packer_version', '{{packer_version}}', {}, '1.16.0'],
  ['pwd', '{{pwd}}', { cwd: '/w' }, '/w'],
  ['template_dir', '{{template_dir}}', { templatePath: '/a/b/t.json' }, '/a/b'],
  ['split', '{{split "a,b,c" "," 1}}', {}, 'b'],
  ['replace with count', '{{replace "a" "b" 2 "aaaa"}}', {}, 'bbaa'],
  ['upper lower', '{{upper "ab"}}{{lower "CD"}}', {}, 'ABcd'],
  ['build placeholder passes through', '{{ build `ID` }}', { data: { ID: 'Build_ID. To set this dynamically in the Packer template, you must use the `build` function' } }, '{{.ID}}'],
  ['build value', '{{ build `Host` }}', { data: { Host: '10.0.0.1' } }, '10.0.0.1'],
  ['sed is gone', '{{ sed "a" "b" }}', {}, { error: 'template: root:1:3: executing "root" at <sed "a" "b">: error calling sed: template function `sed` is deprecated use `replace` or `replace_all` instead.Documentation: https://www.packer.io/docs/templates/engine' }],
  ['vault not allowed', '{{ vault "p" "k" }}', {}, { error: 'template: root:1:3: executing "root" at <vault "p" "k">: error calling vault: Vault vars are only allowed in the variables section' }],
  ['vault through the injection point', '{{ vault "p" "k" }}', { enableEnv: true, secrets: { vault: (p, k) => ({ kind: 'ok', value: `${p}/${k}` }) } }, 'p/k'],
  ['aws secret error as a value', '{{ aws_secretsmanager "n" }}', { enableEnv: true, secrets: { awsSecret: () => ({ kind: 'error', message: 'boom' }) } },
    { error: 'template: root:1:3: executing "root" at <aws_secretsmanager "n">: error calling aws_secretsmanager: boom' }],
  ['clean_resource_name is plugin-provided', '{{ clean_resource_name "a" }}', {}, { error: 'template: root:1: function "clean_resource_name" not defined' }],
];

describe('render (Go text/template + Packer functions)', () => {
  for (const [name, text, ctx, expected] of CASES) {
    it(name, () => {
      const r = render(text, ctx);
      if (typeof expected === 'string') assert.deepEqual(r, { kind: 'ok', value: expected });
      else assert.deepEqual(r, { kind: 'error', message: expected.error });
    });
  }

  it('uuid is time-ordered', () => {
    const r = render('{{uuid}}');
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.match(r.value, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('renderExcluding keeps {{ .X }} for later', () => {
    const r = renderExcluding('{{user `a`}} {{ .HTTPIP }}', { userVariables: { a: 'A' } }, /{{(\s|)\.(.*?)(\s|)}}/);
    assert.deepEqual(r, { kind: 'ok', value: 'A {{ .HTTPIP }}' });
  });

  it('secretCallsIn lists literal secret calls', () => {
    assert.deepEqual(secretCallsIn('{{ vault `a` "b" }} {{ consul_key (user `x`) }} {{ aws_secretsmanager "s" }}'), [
      { name: 'vault', args: ['a', 'b'] },
      { name: 'aws_secretsmanager', args: ['s'] },
    ]);
  });
});

describe('Go time layouts', () => {
  const t = { date: T, nanos: 120_000_000 };
  const LAYOUTS: [string, string][] = [
    ['2006-01-02T15:04:05Z07:00', '2020-01-06T15:04:05Z'],
    ['Jan January Mon Monday', 'Jan January Mon Monday'],
    ['1/2/06 3:4:5 pm', '1/6/20 3:4:5 pm'],
    ['002 __2 _2', '006   6  6'],
    ['15:04:05.000 .999999 ,000', '15:04:05.120 .12 ,120'],
    ['-0700 -07:00 -07 Z0700', '+0000 +00:00 +00 Z'],
    ['Janx', 'Janx'],
  ];
  for (const [layout, out] of LAYOUTS) it(layout, () => assert.equal(goTimeFormat(t, layout), out));
  it('zone offsets', () => {
    assert.equal(goTimeFormat({ date: T, offsetSeconds: -5 * 3600, zoneName: 'EST' }, '15:04 MST -07:00 Z07:00'), '10:04 EST -05:00 -05:00');
  });
  it('strftime passes unknown verbs through', () => assert.equal(strftime('%j %', { date: T }), '%j %'));
});

describe('sprintf', () => {
  const F: [string, unknown[], string][] = [
    ['%5.2f|%-4s|%05d', [3.14159, 'ab', 42n], ' 3.14|ab  |00042'],
    ['%e %g %G', [1234.5, 0.00001, 1e21], '1.234500e+03 1e-05 1E+21'],
    ['%s', [], '%!s(MISSING)'],
    ['%s', [1n, 2n], '%!s(int=1)%!(EXTRA int=2)'],
    ['%v %v', [['a', 1], { b: true, a: null }], '[a 1] map[a:<nil> b:true]'],
    ['%x %X %o %b %c %U', [255n, 'hi', 8n, 5n, 65n, 65n], 'ff 6869 10 101 A U+0041'],
    ['%+d % d %q', [5n, 5n, 'a"b'], '+5  5 "a\\"b"'],
  ];
  for (const [f, args, out] of F) it(f, () => assert.equal(sprintf(f, args as never), out));
});

describe('clean_resource_name', () => {
  it('amazon', () => assert.equal(cleanAmazonName('a b:c*é(1)'), 'a b-c---(1)'));
  it('googlecompute', () => {
    assert.equal(cleanGoogleName('ok-name1'), 'ok-name1');
    assert.equal(cleanGoogleName('My_Image.1'), 'my-image-1');
  });
  it('azure', () => assert.equal(cleanAzureName('my image_.-'), 'my-image'));
});

describe('renderConfigValue (config.Decode interpolation)', () => {
  const ctx: InterpolateContext = { buildName: 'b', userVariables: { u: 'U' } };
  const none = () => false;
  const obj = (o: Record<string, cty.Value>) => cty.objectVal(o);
  it('renders every string once, nested keys included', () => {
    const r = renderConfigValue(
      obj({ a: cty.stringVal('{{build_name}}'), n: cty.numberIntVal(3), l: cty.tupleVal([cty.stringVal('{{user `u`}}')]), m: obj({ '{{user `u`}}': cty.stringVal('{{ .Path }}') }) }),
      none,
      ctx,
    );
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.deepEqual(anyToPlain(r.value), { a: 'b', n: 3, l: ['U'], m: { U: '<no value>' } });
  });
  it('leaves late keys for later', () => {
    const r = renderConfigValue(obj({ execute_command: cty.stringVal('{{ .Path }}'), x: cty.stringVal('{{build_name}}') }), (k) => k === 'execute_command', ctx);
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.deepEqual(anyToPlain(r.value), { execute_command: '{{ .Path }}', x: 'b' });
  });
  it('still validates late keys', () => {
    const r = renderConfigValue(obj({ execute_command: cty.stringVal('{{ nope }}') }), () => true, ctx);
    assert.deepEqual(r, { kind: 'error', message: "invalid 'execute_command': template: root:1: function \"nope\" not defined in:\n\n{{ nope }}" });
  });
  it('reports render errors with the key', () => {
    const r = renderConfigValue(obj({ k: cty.stringVal('{{build_type}}') }), none, ctx);
    assert.deepEqual(r, { kind: 'error', message: "render 'k': template: root:1:2: executing \"root\" at <build_type>: error calling build_type: build_type not available in:\n\n{{build_type}}" });
  });
});
