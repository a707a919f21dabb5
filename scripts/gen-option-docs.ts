/**
 * `npm run docs`: writes each built-in component's option table into its README.md
 * (`src/plugins/<kind>s/<name>/README.md`), from the component's schema: name, type,
 * default or "required", and the field's `.doc()` text. The table sits between the
 * BEGIN/END markers below; the rest of the README is left as written (a README that
 * lacks the markers gets an "Options" section at its end). `--check` writes nothing
 * and exits 1 listing the READMEs whose table is stale (test/docs/option-docs.test.ts
 * runs it in `npm test`).
 *
 * A builder's block also takes the options of the communicators (`sdk/communicator-config.ts`):
 * a builder's table names the fields it shares with a communicator's schema in one row
 * that points at that communicator's README, which lists them.
 */
import { isRuntimeSpec } from '../src/sdk/schema/spec.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentKind, ComponentRegistry } from '../src/sdk/component.js';
import { formatDuration } from '../src/sdk/duration.js';
import type { Field, FieldKind, ObjectSchema } from '../src/sdk/schema/field.js';
import { builtinRegistry } from '../src/plugins/registry.js';

export const BEGIN = '<!-- BEGIN OPTIONS: generated from the schema by `npm run docs`; edit the .doc() strings, not this table -->';
export const END = '<!-- END OPTIONS -->';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KINDS: readonly ComponentKind[] = ['builder', 'provisioner', 'post-processor', 'datasource', 'communicator'];
const KIND_TITLES: Readonly<Record<ComponentKind, string>> = {
  builder: 'builder',
  provisioner: 'provisioner',
  'post-processor': 'post-processor',
  datasource: 'data source',
  communicator: 'communicator',
};

/** One README and what its option table should be. */
export interface OptionDoc {
  /** Path from the repository root. */
  readonly file: string;
  /** The README's text as it is (undefined when the file does not exist). */
  readonly current: string | undefined;
  /** The README's text with an up-to-date table. */
  readonly expected: string;
}

/** The option docs of every built-in component. */
export async function optionDocs(): Promise<OptionDoc[]> {
  const registry = builtinRegistry();
  const communicators = await schemasOf(registry, 'communicator');
  const out: OptionDoc[] = [];
  for (const kind of KINDS) {
    for (const name of registry.names(kind)) {
      const definition = await registry.load(kind, name);
      if (!definition) throw new Error(`gen-option-docs: ${kind} ${name} is listed but does not load`);
      const file = path.join('src', 'plugins', `${kind}s`, name, 'README.md');
      const full = path.join(REPO_ROOT, file);
      const current = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
      // A component declared by a runtime spec (a Go plugin) has no native schema to document.
      if (isRuntimeSpec(definition.schema)) continue;
      const table = optionTable(definition.schema, kind === 'builder' ? communicators : new Map());
      out.push({ file, current, expected: withTable(current ?? `# ${name} ${KIND_TITLES[kind]}\n`, table) });
    }
  }
  return out;
}

async function schemasOf(registry: ComponentRegistry, kind: ComponentKind): Promise<Map<string, ObjectSchema>> {
  const out = new Map<string, ObjectSchema>();
  for (const name of registry.names(kind)) {
    const schema = (await registry.load(kind, name))?.schema;
    if (schema && !isRuntimeSpec(schema) && Object.keys(schema).length > 0) out.set(name, schema);
  }
  return out;
}

/** `text` with the section between the markers replaced by `table`, or an Options section appended. */
export function withTable(text: string, table: string): string {
  const section = `${BEGIN}\n${table}${END}\n`;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin >= 0 && end > begin) return text.slice(0, begin) + section + text.slice(end + END.length).replace(/^\n/, '');
  return `${text.trimEnd()}\n\n## Option reference\n\n${section}`;
}

/**
 * The Markdown table of a schema's options (nested ones as `parent.child`). The fields
 * shared with a schema of `shared` (a communicator's, by name) are one row linking to
 * that component's README.
 */
export function optionTable(schema: ObjectSchema, shared: ReadonlyMap<string, ObjectSchema>): string {
  const rows: string[] = [];
  const skip = new Set<string>();
  const sharedRows: string[] = [];
  for (const [name, other] of shared) {
    const keys = Object.keys(schema).filter((k) => schema[k] === other[k]);
    if (keys.length === 0) continue;
    for (const k of keys) skip.add(k);
    const examples = keys.slice(0, 3).map((k) => `\`${k}\``).join(', ');
    sharedRows.push(`| ${name} communicator options | | | The ${keys.length} options of the [${name} communicator](../../communicators/${name}/README.md#option-reference) (${examples}, …). |`);
  }
  addRows(rows, schema, '', skip);
  rows.push(...sharedRows);
  if (rows.length === 0) return 'This component has no options.\n';
  return ['| Option | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

function addRows(rows: string[], schema: ObjectSchema, prefix: string, skip: ReadonlySet<string>): void {
  for (const key of Object.keys(schema).sort()) {
    const field = schema[key];
    if (!field || skip.has(key)) continue;
    const name = prefix + key;
    const options: Readonly<Record<string, unknown>> = field.options;
    const doc = typeof options['doc'] === 'string' ? options['doc'] : '';
    const deprecated = typeof options['deprecated'] === 'string' ? `Deprecated: ${options['deprecated']}. ` : '';
    const dflt = options['required'] === true ? 'required' : defaultText(field, options['defaultValue']);
    rows.push(`| \`${name}\` | ${typeText(field.type)} | ${cell(dflt)} | ${cell(deprecated + doc)} |`);
    if (field.type.kind === 'block' || field.type.kind === 'object') addRows(rows, field.type.fields, `${name}.`, new Set());
  }
}

function typeText(t: FieldKind): string {
  switch (t.kind) {
    case 'string':
      return t.oneOf ? `string: ${t.oneOf.map((v) => `\`${v}\``).join(', ')}` : 'string';
    case 'int':
      return 'integer';
    case 'list':
    case 'map':
      return `${t.kind} of ${typeText(t.element.type)}`;
    case 'block':
      return t.repeated ? 'blocks' : 'block';
    default:
      return t.kind;
  }
}

function defaultText(field: Field<unknown, boolean>, value: unknown): string {
  if (value === undefined) return '';
  if (field.type.kind === 'duration' && typeof value === 'number') return `\`${formatDuration(value)}\``;
  if (typeof value === 'string') return value === '' ? '`""`' : `\`${value}\``;
  return `\`${JSON.stringify(value)}\``;
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale = (await optionDocs()).filter((d) => d.current !== d.expected);
  if (check) {
    for (const d of stale) console.error(`gen-option-docs: ${d.file} ${d.current === undefined ? 'is missing' : 'has a stale option table'}`);
    if (stale.length > 0) {
      console.error('gen-option-docs: run `npm run docs` to regenerate');
      process.exitCode = 1;
    }
    return;
  }
  for (const d of stale) {
    writeFileSync(path.join(REPO_ROOT, d.file), d.expected);
    console.log(`gen-option-docs: wrote ${d.file}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
