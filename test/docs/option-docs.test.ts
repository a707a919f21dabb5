// The option tables in the components' READMEs are generated from their schemas
// (scripts/gen-option-docs.ts, `npm run docs`): they must be up to date, every option
// must say what it does, and the generator must keep the hand-written rest of a README.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEGIN, END, optionDocs, optionTable, withTable } from '../../scripts/gen-option-docs.js';
import { block, bool, duration, int, list, oneOf, str } from '../../src/sdk/schema/index.js';

describe('component option docs', () => {
  it('every built-in component has a README whose option table matches its schema', async () => {
    const docs = await optionDocs();
    assert.ok(docs.length >= 20, String(docs.length));
    const stale = docs.filter((d) => d.current !== d.expected).map((d) => d.file);
    assert.deepEqual(stale, [], `stale option tables (run \`npm run docs\`): ${stale.join(', ')}`);
  });

  it('every option has a .doc() text', async () => {
    const undocumented = (await optionDocs()).flatMap((d) =>
      d.expected
        .slice(d.expected.indexOf(BEGIN))
        .split('\n')
        .filter((row) => row.startsWith('| `') && /\| *\|$/.test(row))
        .map((row) => `${d.file}: ${row.split('|')[1]?.trim()}`),
    );
    assert.deepEqual(undocumented, []);
  });
});

describe('gen-option-docs', () => {
  const shared = { ssh_host: str().doc('Host.'), ssh_port: int().doc('Port.') };
  const schema = {
    ...shared,
    name: str().required().doc('The name; a | in a doc is escaped.'),
    mode: oneOf('fast', 'slow').default('fast').doc('How.'),
    wait: duration().default(90_000).doc('How long.'),
    tags: list(str()).default(['a']).doc('Tags.'),
    old: bool().deprecated('use name').doc('Old switch.'),
    nested: block({ inner: int().doc('Inside.') }).doc('A block.'),
  };

  it('renders type, default or required, deprecation and nested fields, sorted, shared fields as one row', () => {
    assert.equal(
      optionTable(schema, new Map([['ssh', shared]])),
      [
        '| Option | Type | Default | Description |',
        '| --- | --- | --- | --- |',
        '| `mode` | string: `fast`, `slow` | `fast` | How. |',
        '| `name` | string | required | The name; a \\| in a doc is escaped. |',
        '| `nested` | block |  | A block. |',
        '| `nested.inner` | integer |  | Inside. |',
        '| `old` | bool |  | Deprecated: use name. Old switch. |',
        '| `tags` | list of string | `["a"]` | Tags. |',
        '| `wait` | duration | `1m30s` | How long. |',
        '| ssh communicator options | | | The 2 options of the [ssh communicator](../../communicators/ssh/README.md#option-reference) (`ssh_host`, `ssh_port`, …). |',
        '',
      ].join('\n'),
    );
    assert.equal(optionTable({}, new Map()), 'This component has no options.\n');
  });

  it('replaces only the text between the markers, and appends a section to a README without them', () => {
    const table = optionTable(schema, new Map());
    const fresh = withTable('# x builder\n\nHand-written intro.\n', table);
    assert.equal(fresh, `# x builder\n\nHand-written intro.\n\n## Option reference\n\n${BEGIN}\n${table}${END}\n`);
    const edited = `${fresh}\n## Notes\n\nKept.\n`;
    assert.equal(withTable(edited, table), edited);
    const stale = edited.replace('How long.', 'Something else.');
    assert.notEqual(stale, edited);
    assert.equal(withTable(stale, table), edited);
  });
});
