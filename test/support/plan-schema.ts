/**
 * Validates `kiln plan -json` documents against docs/schema/plan.schema.json with Ajv
 * (draft 2020-12, strict mode), as test/support/events-schema.ts does for the events.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPO_ROOT } from './shared.js';

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const planSchema = ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'schema', 'plan.schema.json'), 'utf8')) as object);

/** The schema violations of a plan document; empty when valid. */
export function planSchemaErrors(doc: unknown): string[] {
  return planSchema(doc) ? [] : [ajv.errorsText(planSchema.errors)];
}
