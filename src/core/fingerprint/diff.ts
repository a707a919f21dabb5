/**
 * What changed between the inputs a cache entry recorded and a fingerprint's inputs,
 * in the words `kiln cache explain` prints (as mkosi diffs its manifest):
 * `files/setup.sh: sha256 1f3a… → 9b2c…`, `inline[0]: "a" → "b"`,
 * `environment_vars[1]: changed (sensitive)`. A sensitive input is never shown, not
 * even as its HMAC.
 */

/** An input as entries and fingerprints both record it. */
export interface RecordedInput {
  readonly path: string;
  readonly value: string;
  readonly sensitive?: true;
}

const MAX = 60;

/** A value as shown: digests shortened to 4 hex digits, long text cut. */
function shown(v: string): string {
  const digest = /^(sha256|tree|glob|hmac):([0-9a-f]{4})[0-9a-f]{60}$/.exec(v);
  if (digest) return `${digest[1]} ${digest[2]}…`;
  return v.length > MAX ? `${v.slice(0, MAX - 1)}…` : v;
}

function change(path: string, before: RecordedInput, now: RecordedInput): string {
  if (before.sensitive || now.sensitive) return `${path}: changed (sensitive)`;
  const a = /^(sha256|tree|glob):/.exec(before.value);
  const b = /^(sha256|tree|glob):/.exec(now.value);
  if (a && b && a[1] === b[1]) return `${path}: ${a[1]} ${shown(before.value).split(' ')[1]} → ${shown(now.value).split(' ')[1]}`;
  return `${path}: ${shown(before.value)} → ${shown(now.value)}`;
}

/**
 * One line per input that differs, in `now`'s order, then the inputs only `before`
 * had. Empty when the inputs are the same.
 */
export function diffInputs(before: readonly RecordedInput[], now: readonly RecordedInput[]): string[] {
  const old = new Map(before.map((i) => [i.path, i]));
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const i of now) {
    seen.add(i.path);
    const o = old.get(i.path);
    if (!o) lines.push(`${i.path}: added${i.sensitive ? ' (sensitive)' : ` (${shown(i.value)})`}`);
    else if (o.value !== i.value || Boolean(o.sensitive) !== Boolean(i.sensitive)) lines.push(change(i.path, o, i));
  }
  for (const o of before) if (!seen.has(o.path)) lines.push(`${o.path}: removed`);
  return lines;
}
