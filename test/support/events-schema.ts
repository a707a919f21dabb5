/**
 * Validates `kiln build -json` lines and `-metadata-file` documents against the JSON
 * Schemas in docs/schema/ with Ajv (draft 2020-12, strict mode: a schema keyword Ajv
 * does not know is an error, not ignored).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPO_ROOT } from './shared.js';

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const load = (name: string): object => JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'schema', name), 'utf8')) as object;
const eventSchema = ajv.compile(load('events.schema.json'));
const metadataSchema = ajv.compile(load('metadata.schema.json'));

/** Each line of an NDJSON stream parsed; throws naming the line that is not JSON. */
export function parseEventLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`line ${i + 1} of the event stream is not JSON: ${l}`);
      }
    });
}

/** The schema violations of each event, as `line N (type): error` strings; empty when all are valid. */
export function eventSchemaErrors(events: readonly unknown[]): string[] {
  const errors: string[] = [];
  events.forEach((e, i) => {
    if (!eventSchema(e)) {
      const type = typeof e === 'object' && e !== null ? String((e as Record<string, unknown>)['type']) : '?';
      errors.push(`line ${i + 1} (${type}): ${ajv.errorsText(eventSchema.errors)} in ${JSON.stringify(e)}`);
    }
  });
  return errors;
}

/** The schema violations of a metadata document; empty when valid. */
export function metadataSchemaErrors(doc: unknown): string[] {
  return metadataSchema(doc) ? [] : [ajv.errorsText(metadataSchema.errors)];
}

/**
 * The events of a `-json=FILE` stream, after checking that every line is valid against
 * the schema, the first is run-started and the last run-finished; throws otherwise.
 */
export function validEventFile(file: string): Record<string, unknown>[] {
  const events = parseEventLines(readFileSync(file, 'utf8'));
  const errors = eventSchemaErrors(events);
  if (errors.length > 0) throw new Error(`${file}: events not valid against docs/schema/events.schema.json:\n${errors.join('\n')}`);
  if (events[0]?.['type'] !== 'run-started' || events.at(-1)?.['type'] !== 'run-finished') throw new Error(`${file}: the stream does not run from run-started to run-finished`);
  return events;
}

/** `component:name:status` of each step-finished event, in order. */
export function finishedSteps(events: readonly Record<string, unknown>[]): string[] {
  return events.filter((e) => e['type'] === 'step-finished').map((e) => `${String(e['component'])}:${String(e['name'])}:${String(e['status'])}`);
}
