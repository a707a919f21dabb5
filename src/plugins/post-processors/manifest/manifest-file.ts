/**
 * Packer's manifest file (`packer-manifest.json`): reading an existing one the way Go's
 * `json.Unmarshal` fills the manifest struct (unknown keys dropped, keys matched without
 * regard to case), and writing it the way `json.MarshalIndent(…, "", "  ")` does.
 */

export interface ManifestEntryFile {
  readonly name: string;
  readonly size: number;
}

/** One `builds[]` entry, in Packer's field order. */
export interface ManifestEntry {
  readonly name: string;
  readonly builder_type: string;
  /** Unix seconds; 0 is left out of the file (`omitempty`). */
  readonly build_time: number;
  /** null when the artifact had no files. */
  readonly files: readonly ManifestEntryFile[] | null;
  readonly artifact_id: string;
  readonly packer_run_uuid: string;
  /** null when the template set no `custom_data`. */
  readonly custom_data: Readonly<Record<string, string>> | null;
  /** kiln's addition, only from builds run with a cache flag: each step's key and hit/miss. */
  readonly kiln_cache?: ManifestCache;
}

/** `kiln_cache` of a build entry (docs/step-cache.md); Packer's readers ignore it. */
export interface ManifestCache {
  readonly steps: readonly { readonly index: number; readonly type: string; readonly key: string; readonly status: string }[];
}

export interface ManifestFile {
  readonly builds: ManifestEntry[];
  readonly last_run_uuid: string;
}

export type ParseResult = { readonly kind: 'ok'; readonly value: ManifestFile } | { readonly kind: 'error'; readonly message: string };

/** Parses a manifest; empty contents are an empty manifest (Packer skips decoding them). */
export function parseManifest(text: string): ParseResult {
  if (text.length === 0) return { kind: 'ok', value: { builds: [], last_run_uuid: '' } };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  if (raw === null) return { kind: 'ok', value: { builds: [], last_run_uuid: '' } };
  if (!isObject(raw)) return { kind: 'error', message: `json: cannot unmarshal ${jsonKind(raw)} into Go value of type manifest.ManifestFile` };
  const builds: ManifestEntry[] = [];
  const rawBuilds = field(raw, 'builds');
  if (rawBuilds !== undefined && rawBuilds !== null) {
    if (!Array.isArray(rawBuilds)) return mismatch('ManifestFile.builds', rawBuilds, '[]manifest.Artifact');
    for (const b of rawBuilds) {
      const entry = toEntry(b);
      if (typeof entry === 'string') return { kind: 'error', message: entry };
      builds.push(entry);
    }
  }
  const uuid = field(raw, 'last_run_uuid');
  if (uuid !== undefined && uuid !== null && typeof uuid !== 'string') return mismatch('ManifestFile.last_run_uuid', uuid, 'string');
  return { kind: 'ok', value: { builds, last_run_uuid: typeof uuid === 'string' ? uuid : '' } };
}

function toEntry(b: unknown): ManifestEntry | string {
  const empty: ManifestEntry = { name: '', builder_type: '', build_time: 0, files: null, artifact_id: '', packer_run_uuid: '', custom_data: null };
  if (b === null) return empty;
  if (!isObject(b)) return mismatchText('ManifestFile.builds', b, 'manifest.Artifact');
  const str = (key: string): string | { error: string } => {
    const v = field(b, key);
    if (v === undefined || v === null) return '';
    return typeof v === 'string' ? v : { error: mismatchText(`Artifact.${key}`, v, 'string') };
  };
  const out: Record<string, unknown> = { ...empty };
  for (const key of ['name', 'builder_type', 'artifact_id', 'packer_run_uuid'] as const) {
    const v = str(key);
    if (typeof v !== 'string') return v.error;
    out[key] = v;
  }
  const time = field(b, 'build_time');
  if (time !== undefined && time !== null) {
    if (typeof time !== 'number' || !Number.isInteger(time)) return mismatchText('Artifact.build_time', time, 'int64');
    out['build_time'] = time;
  }
  const files = field(b, 'files');
  if (files !== undefined && files !== null) {
    if (!Array.isArray(files)) return mismatchText('Artifact.files', files, '[]manifest.ArtifactFile');
    const list: ManifestEntryFile[] = [];
    for (const f of files) {
      if (f === null) list.push({ name: '', size: 0 });
      else if (!isObject(f)) return mismatchText('Artifact.files', f, 'manifest.ArtifactFile');
      else {
        const name = field(f, 'name') ?? '';
        const size = field(f, 'size') ?? 0;
        if (typeof name !== 'string') return mismatchText('Artifact.files.name', name, 'string');
        if (typeof size !== 'number' || !Number.isInteger(size)) return mismatchText('Artifact.files.size', size, 'int64');
        list.push({ name, size });
      }
    }
    out['files'] = list;
  }
  const custom = field(b, 'custom_data');
  if (custom !== undefined && custom !== null) {
    if (!isObject(custom)) return mismatchText('Artifact.custom_data', custom, 'map[string]string');
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(custom)) {
      if (typeof v !== 'string') return mismatchText('Artifact.custom_data', v, 'string');
      map[k] = v;
    }
    out['custom_data'] = map;
  }
  const cache = cacheOf(field(b, 'kiln_cache'));
  if (cache) out['kiln_cache'] = cache;
  return out as unknown as ManifestEntry;
}

/** A `kiln_cache` value read back, when well formed (kept across runs; anything else is dropped, as Go drops unknown keys). */
function cacheOf(v: unknown): ManifestCache | undefined {
  if (!isObject(v) || !Array.isArray(v['steps'])) return undefined;
  const steps: ManifestCache['steps'][number][] = [];
  for (const s of v['steps']) {
    if (!isObject(s) || typeof s['index'] !== 'number' || typeof s['type'] !== 'string' || typeof s['key'] !== 'string' || typeof s['status'] !== 'string') return undefined;
    steps.push({ index: s['index'], type: s['type'], key: s['key'], status: s['status'] });
  }
  return { steps };
}

/** The file's text: two-space indentation, Go's field order and escaping, sorted map keys. */
export function formatManifest(m: ManifestFile): string {
  const plain = {
    builds: m.builds.map((b) => ({
      name: b.name,
      builder_type: b.builder_type,
      ...(b.build_time !== 0 ? { build_time: b.build_time } : {}),
      files: b.files === null ? null : b.files.map((f) => ({ name: f.name, size: f.size })),
      artifact_id: b.artifact_id,
      packer_run_uuid: b.packer_run_uuid,
      custom_data: b.custom_data === null ? null : sortedKeys(b.custom_data),
      ...(b.kiln_cache ? { kiln_cache: { steps: b.kiln_cache.steps.map((st) => ({ index: st.index, type: st.type, key: st.key, status: st.status })) } } : {}),
    })),
    last_run_uuid: m.last_run_uuid,
  };
  return goHtmlEscape(JSON.stringify(plain, null, 2));
}

function sortedKeys(m: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort(byBytes)) out[k] = m[k] as string;
  return out;
}

/** Go sorts map keys by their UTF-8 bytes; for strings without surrogates that is code point order. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; JSON.stringify does not. */
function goHtmlEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go matches JSON keys to struct fields exactly first, then without regard to case. */
function field(o: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(o, key)) return o[key];
  const lower = key.toLowerCase();
  let found: unknown;
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === lower) found = v;
  return found;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

function mismatchText(where: string, v: unknown, type: string): string {
  return `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${where} of type ${type}`;
}

function mismatch(where: string, v: unknown, type: string): ParseResult {
  return { kind: 'error', message: mismatchText(where, v, type) };
}
