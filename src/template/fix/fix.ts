/**
 * `packer fix` on a template's text (Packer 1.16 `command/fix.go`): the first JSON value
 * is decoded as Go's json.Decoder does, every fixer runs in order, and the result is
 * printed as Packer prints it; then, when asked, the fixed template is parsed and
 * validated as a legacy JSON template. Messages are Packer's.
 */
import { readGoJson } from '../json/go-json.js';
import { formatErrors, parseJsonTemplate, validateJsonTemplate } from '../json/json-template.js';
import { parseErrorText } from '../json/load-json.js';
import { isObject, type JsonObject } from './decode.js';
import { fixOutputText } from './encode.js';
import { runFixers } from './fixers.js';

/** The fixed template's text, or the message Packer prints instead (exit 1). */
export type FixResult = { kind: 'ok'; output: string } | { kind: 'error'; message: string };

function jsonKindName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'object';
}

/** json.NewDecoder(r).Decode(&map[string]interface{}): the first value only; its errors' texts. */
function decodeFirst(text: Buffer): { ok: JsonObject } | { error: string } {
  let r = readGoJson(text);
  if (r.kind === 'syntax-error' && r.message.endsWith('after top-level value')) r = readGoJson(text.subarray(0, r.offset - 1));
  if (r.kind === 'syntax-error') {
    if (r.message !== 'unexpected end of JSON input') return { error: r.message };
    return { error: text.toString('utf8').trim() === '' ? 'EOF' : 'unexpected EOF' };
  }
  if (r.value === null) return { error: 'the template is JSON null (Packer crashes here)' };
  if (!isObject(r.value)) return { error: `json: cannot unmarshal ${jsonKindName(r.value)} into Go value of type map[string]interface {}` };
  return { ok: r.value };
}

/** Decodes and fixes a template; the text `packer fix` prints (with its trailing newline). */
export function fixTemplateText(text: Buffer): FixResult {
  const decoded = decodeFirst(text);
  if ('error' in decoded) return { kind: 'error', message: `Error parsing template: ${decoded.error}` };
  const fixed = runFixers(decoded.ok);
  if (fixed.kind === 'error') return { kind: 'error', message: `Error fixing: ${fixed.message}` };
  return { kind: 'ok', output: fixOutputText(fixed.value) };
}

const ADVICE = '\n\nThis is usually caused by an error in the input template.\nPlease fix the error and try again.';

/** `-validate`: undefined when the fixed template parses and validates, else Packer's message. */
export function validateFixed(output: string): string | undefined {
  const parsed = parseJsonTemplate(output);
  if (parsed.kind === 'error') {
    return `Error! Fixed template fails to parse: ${parseErrorText(parsed.errors)}${ADVICE}`;
  }
  const errors = validateJsonTemplate(parsed.template);
  if (errors.length === 0) return undefined;
  return `Error! Fixed template failed to validate: ${formatErrors(errors)}${ADVICE}`;
}
