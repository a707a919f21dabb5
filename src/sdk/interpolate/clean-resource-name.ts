/**
 * The `clean_resource_name` template functions that cloud plugins add to their
 * builders' contexts. Each cloud has its own rules; all work on UTF-8 bytes, so a
 * multi-byte character becomes one `-` per byte, as in Go.
 */
import { stringFunc, type TemplateFunc } from './func.js';

const isAlnum = (b: number): boolean => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
const DASH = 0x2d;

function mapBytes(s: string, keep: (b: number) => boolean): Buffer {
  return Buffer.from(Buffer.from(s, 'utf8').map((b) => (keep(b) ? b : DASH)));
}

/** amazon: keeps letters, digits and `()[] ./-'@_`. */
export function cleanAmazonName(s: string): string {
  const allowed = new Set([...'()[] ./-\'@_'].map((c) => c.charCodeAt(0)));
  return mapBytes(s, (b) => isAlnum(b) || allowed.has(b)).toString('latin1');
}

/** googlecompute: valid names pass; otherwise lower-cased, non-[a-z0-9] become `-`. */
export function cleanGoogleName(s: string): string {
  if (/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s)) return s;
  const lower = s.toLowerCase();
  return mapBytes(lower, (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a)).toString('latin1');
}

/** azure: keeps letters, digits and `._-`, then trims trailing `-`, `_`, `.`. */
export function cleanAzureName(s: string): string {
  const keep = (b: number): boolean => isAlnum(b) || b === 0x2e || b === 0x5f || b === DASH;
  return mapBytes(s, keep).toString('latin1').replace(/[-_.]+$/, '');
}

/** A plugin's `clean_resource_name` function, for `InterpolateContext.funcs`. */
export function cleanResourceNameFunc(cloud: 'amazon' | 'googlecompute' | 'azure'): TemplateFunc {
  const fn = cloud === 'amazon' ? cleanAmazonName : cloud === 'googlecompute' ? cleanGoogleName : cleanAzureName;
  return stringFunc(1, fn);
}
