// `kiln console` with piped standard input, as a user runs it (bin/kiln over dist/;
// run `npm run build` first): Packer's console_test.go table through the shared
// conformance index, the rows whose expectation is Go code rebuilt from it, value
// formatting, JSON mode and exit codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandCase as Row, KilnRun } from '../support/packer-command.js';
import { COMMAND_DIR, commandCases, runKiln } from '../support/packer-command.js';

const kiln = (args: readonly string[], input: string, env: Record<string, string> = {}): KilnRun => runKiln(args, { input, env });

type CommandCase = Row<{ readonly piped: string; readonly command: string[]; readonly env: string[] | null; readonly expected: unknown }>;

const local = (a: string): string => a.replace(/^command\//, '');
const envOf = (c: CommandCase): Record<string, string> => Object.fromEntries((c.fields.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));

const HCL_HELP = `Packer console HCL2 Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables and functions in the Packer config you called the
console with.

Type in the interpolation to test and hit <enter> to see the result.

"upper(var.foo.id)" would evaluate to the ID of "foo" and uppercase is, if it
exists in your config file.

"variables" will dump all available variables and their values.

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ It is not possible to use go templating interpolation like "{{timestamp}}"
with in HCL2 mode.
`;

const JSON_HELP = `Packer console JSON Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables in the Packer config you called the console with.

Type in the interpolation to test and hit <enter> to see the result.

"variables" will dump all available variables and their values.

"{{timestamp}}" will output the timestamp, for example "1559855090".

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ If you would like to start console in hcl2 mode without a config you can
use the --config-type=hcl2 option.
`;

/** What the rows whose expectation the index could not state as data expect (console_test.go). */
function expectedFor(c: CommandCase): string {
  if (typeof c.fields.expected === 'string') return c.fields.expected;
  const hcl = c.fields.command.some((a) => a.includes('hcl2') || a.endsWith('.pkr.hcl'));
  switch (c.fields.piped) {
    case 'help':
      return hcl ? HCL_HELP : JSON_HELP;
    case 'path.cwd':
      return `${COMMAND_DIR}\n`;
    case 'path.root':
      return 'test-fixtures/var-arg\n';
    default:
      throw new Error(`no expectation for ${c.id}`);
  }
}

describe('kiln console: Packer console_test.go (Test_console)', () => {
  const cases = commandCases<CommandCase['fields']>().filter((c) => c.source.test === 'Test_console');
  it('has the table', () => assert.ok(cases.length >= 14, String(cases.length)));
  for (const c of cases) {
    it(`${c.id} ${c.fields.command.join(' ')} <<< ${c.fields.piped}`, () => {
      const r = kiln(c.fields.command.map(local), `${c.fields.piped}\n`, envOf(c));
      assert.equal(r.stdout, expectedFor(c));
      assert.equal(r.status, 0, r.stderr);
    });
  }
});

describe('kiln console: piped input', () => {
  const hcl = ['console', '-config-type=hcl2'];
  it('prints only the last result', () => {
    assert.equal(kiln(hcl, '1 + 1\nupper("a")\n').stdout, 'A\n');
  });
  it("formats values as Packer's repl.FormatResult", () => {
    const cases: [string, string][] = [
      ['[1, "a", true]', '[\n  1,\n  "a",\n  true,\n]\n'],
      ['{ b = 1, a = ["x"] }', '{\n  "a" = [\n    "x",\n  ]\n  "b" = 1\n}\n'],
      ['1.5', '1.5\n'],
      ['1e21', '1e+21\n'],
      ['null', 'null\n'],
      ['[]', '[]\n'],
      ['{ a = null }', '{}\n'],
      ['"a\\nb"', 'a\nb\n'],
      ['["a\\nb"]', '[\n  "a\\nb",\n]\n'],
    ];
    for (const [input, want] of cases) assert.equal(kiln(hcl, `${input}\n`).stdout, want, input);
  });
  it('an error prints the diagnostic with the quoted input and exits 1', () => {
    const r = kiln(hcl, 'var.nope\n');
    assert.equal(r.status, 1);
    // The diagnostic (through the UI's error stream), then the empty last result.
    assert.equal(r.stdout, 'Error: Unsupported attribute\n\n  on <console-input> line 1:\n   1: var.nope\n\nThis object does not have an attribute named "nope".\n\n\n\n');
  });
  it('the exit code follows the last line that had diagnostics', () => {
    assert.equal(kiln(hcl, 'var.nope\n1\n').status, 1);
  });
  it('variables lists input and local variables, sensitive values masked', () => {
    const r = kiln(['console', 'test-fixtures/hcl-inspect-with-sensitive-vars'], 'variables\n');
    assert.match(r.stdout, /^> input-variables:\n\nvar\.not_sensitive: "I am soooo not sensitive"\n/);
    assert.match(r.stdout, /\nvar\.sensitive: "<sensitive>"\n/);
    assert.ok(!r.stdout.includes('I am soooo sensitive'));
  });
  it('JSON mode renders {{ }} with the user variables', () => {
    const r = kiln(['console', '-var', 'fruit=banana', 'test-fixtures/var-arg/fruit_builder.json'], '{{user `fruit`}}-{{upper "x"}}\n');
    assert.equal(r.stdout, 'banana-X\n');
    assert.equal(r.status, 0);
  });
  it('JSON mode: a template error is an error diagnostic', () => {
    const r = kiln(['console'], '{{nosuchfunc}}\n');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Error: Interpolation error\n\n/);
  });
  it('JSON mode variables', () => {
    const r = kiln(['console', '-var', 'fruit=banana', 'test-fixtures/var-arg/fruit_builder.json'], 'variables\n');
    assert.equal(r.stdout, '\nfruit: banana,\n\n');
  });
  it('a template that does not parse fails before reading input', () => {
    const r = kiln(['console', 'test-fixtures/validate-invalid/broken.json'], '1\n');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Failed to parse file as legacy JSON template/);
  });
});
