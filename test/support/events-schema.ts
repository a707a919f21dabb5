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
