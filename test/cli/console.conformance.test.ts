// `kiln console` with piped standard input, as a user runs it (bin/kiln over dist/;
// run `npm run build` first): Packer's console_test.go table through the shared
// conformance index (../shared), the rows whose expectation is Go code rebuilt from it.
// Part of `npm run conformance`; console.test.ts has the tests on kiln's own inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandCase as Row, KilnRun } from '../support/packer-command.js';
import { commandCases, commandDir, runKiln } from '../support/packer-command.js';

const kiln = (args: readonly string[], input: string, env: Record<string, string> = {}): KilnRun => runKiln(args, { cwd: commandDir(), input, env });

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
      return `${commandDir()}\n`;
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
