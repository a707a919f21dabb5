/**
 * Input fingerprints: the step cache's keys (issue #15) and `kiln plan`'s build
 * fingerprint (issue #20) come from here, and only here.
 *
 * A key is `hex(sha256("kiln-cache-v1\n" + canonical(record)))` (`canonical.ts`) over
 * `{ kind, parent, component: { kind, type, schema, external }, config, files, source,
 * bust }`:
 * - `parent`: the previous key of the chain (null for a build's base);
 * - `config`: the component's effective config (after HCL evaluation, overrides and
 *   `{{ }}` rendering) less `.noEffect()` fields; sensitive values as HMACs; the build's
 *   generated data (`build.Host`, `build.ID`, `{{ .HTTPIP }}`: per-run values) as fixed
 *   placeholders, because components are decoded here with the generated-data keys only,
 *   as while preparing. Deterministic generated data is a function of the builder's
 *   config, which the chain already holds;
 * - `files`: content digests of every `.localPath()` field (`record.ts`, `files.ts`);
 * - `source`: the builder's source identity when the caller has one (docker diff IDs,
 *   a qemu disk's sha256); null when only the configured reference is known (`plan`);
 * - `bust`: the user's bust value (`-cache-bust`), null when none;
 * - `side` (only when the side file `kiln.hcl` sets a `bust` or `inputs` for this
 *   component, so keys without a side file are unchanged): that bust value and the
 *   content digests of those inputs (`side-settings.ts`).
 * A component from a plugin has no cache marks: its whole config is keyed, and any
 * string naming a file or folder inside the template folder is keyed by content too.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type * as cty from '../../hcl/cty/index.js';
import type { ComponentKind } from '../../sdk/component.js';
import { cacheMarks } from '../../sdk/schema/cache-marks.js';
import type { ComponentSchema } from '../../sdk/schema/spec.js';
import { isRuntimeSpec } from '../../sdk/schema/spec.js';
import type { ComponentSpec, TemplateModel } from '../../template/model.js';
import type { KeyValue } from './canonical.js';
import { hashRecord } from './canonical.js';
import type { DigestCache } from './files.js';
import { barrierOf, cacheSchemaVersion } from './policy.js';
import type { FingerprintInput, PathContext } from './record.js';
import { configRecord, displayPath } from './record.js';
import type { CacheSecret } from './secret.js';
import type { SideSettings, SideTtl, StepSideSettings } from './side-settings.js';
import { SIDE_INPUT_PREFIX } from './side-settings.js';
import { digestPath } from './files.js';
import type { GlobDigest } from './glob.js';
import { digestGlob, isGlob } from './glob.js';

export type { FingerprintInput } from './record.js';

/** One link of a chain: a build's base (its builder), a provisioner, or a post-processor. */
export interface Fingerprint {
  /** 64 hex digits. */
  readonly key: string;
  /** The key this one chains from; null for a base. */
  readonly parent: string | null;
  readonly kind: ComponentKind;
  /** The component type: `docker`, `shell`, `manifest`. */
  readonly component: string;
  /** What entered the key, flattened, for a cache entry to keep and `kiln cache explain` to diff. No secret in clear. */
  readonly inputs: readonly FingerprintInput[];
  /** Expressions that make this key differ on every run (`timestamp()`, `uuidv4()`), with file:line when known. */
  readonly volatile: readonly string[];
  /** Why caching cannot go past this component; undefined when it can. */
  readonly barrier?: string;
  /** The side file's time to live for entries of this step (not keyed). */
  readonly ttl?: SideTtl;
}

/** What every fingerprint of a run shares. */
export interface FingerprintContext extends PathContext {
  readonly secret: CacheSecret;
  /** Strings that are sensitive wherever they appear: the model's `secrets` and those prepare found. */
  readonly sensitive: readonly string[];
  /** The user's bust value (`-cache-bust`): enters every base, so every key changes with it. */
  readonly bust?: string;
  /** The side file's settings (`kiln.hcl`), by build name; none without a side file. */
  readonly side?: SideSettings;
}

/** A component to key: its type, schema and decoded config value. */
export interface ComponentToKey {
  readonly kind: ComponentKind;
  readonly type: string;
  readonly schema: ComponentSchema;
  /** The decoded config (`DecodedConfig.value`), with its marks. */
  readonly value: cty.Value;
  /** Sensitive strings the decode found (`DecodedConfig.secrets`). */
  readonly secrets?: readonly string[];
}

/** Extra parts of a record. */
export interface KeyExtras {
  /** The builder's source identity (bases only): docker diff IDs, a disk's sha256. */
  readonly source?: string;
  /** The user's bust value (`-cache-bust`). */
  readonly bust?: string;
  /** Volatile expressions found for this component (see `volatileUses`). */
  readonly volatile?: readonly string[];
  /** The side file's settings for this component. */
  readonly side?: StepSideSettings;
}

/** The fingerprint of one component chained from `parent`. */
export async function fingerprintComponent(c: ComponentToKey, parent: string | null, ctx: FingerprintContext, extras: KeyExtras = {}): Promise<Fingerprint> {
  const external = isRuntimeSpec(c.schema);
  const marks = isRuntimeSpec(c.schema) ? { localPaths: [], noEffect: [] } : cacheMarks(c.schema);
  const rec = await configRecord(c.value, {
    ...ctx,
    sensitive: [...ctx.sensitive, ...(c.secrets ?? [])],
    noEffect: new Set(marks.noEffect),
    localPaths: new Set(marks.localPaths),
    guessPaths: external,
  });
  const record: Record<string, KeyValue> = {
    kind: c.kind === 'builder' ? 'base' : c.kind,
    parent,
    component: { kind: c.kind, type: c.type, schema: String(cacheSchemaVersion(c.kind, c.type)), external },
    config: rec.config,
    files: rec.files,
    source: extras.source ?? null,
    bust: extras.bust ?? null,
  };
  const inputs = [...rec.inputs];
  if (extras.source !== undefined) inputs.push({ path: '(source)', value: extras.source });
  if (extras.bust !== undefined) inputs.push({ path: '(bust)', value: JSON.stringify(extras.bust) });
  const side = extras.side;
  const sideRecord = side ? await sideRecordOf(side, ctx) : undefined;
  if (sideRecord) {
    record['side'] = sideRecord.record;
    inputs.push(...sideRecord.inputs);
  }
  const barrier = side?.off !== undefined ? `cache = false in ${side.off}` : liftedBarrier(barrierOf(c.kind, c.type, external), c.type, side);
  return {
    key: hashRecord(record),
    parent,
    kind: c.kind,
    component: c.type,
    inputs,
    volatile: extras.volatile ?? [],
    ...(barrier !== undefined ? { barrier } : {}),
    ...(side?.ttl !== undefined ? { ttl: side.ttl } : {}),
  };
}

/**
 * A barrier, unless the side file declares the step's inputs and the barrier is only
 * that kiln cannot see what the step reads (`shell-local`, a plugin provisioner): the
 * user vouches for the list. `affects = "guest"` lifts a `shell-local`'s too (its result
 * is in the machine). `breakpoint` stays a barrier.
 */
function liftedBarrier(barrier: string | undefined, type: string, side: StepSideSettings | undefined): string | undefined {
  if (barrier !== undefined && type === 'shell-local' && side?.affectsGuest !== undefined) return undefined;
  if (barrier === undefined || side?.inputs === undefined || side.inputs.length === 0) return barrier;
  return type === 'breakpoint' ? barrier : undefined;
}

/** The `side` part of a record and its inputs; undefined when the side file sets no bust or inputs here. */
async function sideRecordOf(side: StepSideSettings, ctx: FingerprintContext): Promise<{ record: KeyValue; inputs: FingerprintInput[] } | undefined> {
  if (side.bust === undefined && (side.inputs === undefined || side.inputs.length === 0)) return undefined;
  const inputs: FingerprintInput[] = [];
  if (side.bust !== undefined) inputs.push({ path: `${SIDE_INPUT_PREFIX} bust`, value: JSON.stringify(side.bust) });
  const files: Record<string, KeyValue> = {};
  const dir = side.inputsDir ?? ctx.templateDir;
  const paths = side.inputs ?? [];
  const digests = await Promise.all(paths.map((p) => (isGlob(p) ? digestGlob(dir, p, ctx.digests) : digestPath(path.resolve(dir, p), ctx.digests, ctx.templateDir))));
  paths.forEach((p, i) => {
    const got = digests[i] as string | GlobDigest;
    const shown = typeof got === 'string' ? displayPath(p, { ...ctx, cwd: dir }) : p;
    const digest = typeof got === 'string' ? got : got.digest;
    inputs.push({ path: `${SIDE_INPUT_PREFIX} inputs[${i}]`, value: JSON.stringify(shown) });
    if (!(shown in files)) inputs.push({ path: shown, value: digest, file: true });
    // Each matched file is an input of its own, so explain names the one added, removed or changed.
    if (typeof got !== 'string') for (const m of got.matched) if (!(m.path in files)) inputs.push(m);
    files[shown] = digest;
  });
  return { record: { bust: side.bust ?? null, inputs: files }, inputs };
}

/**
 * Decodes `spec` through `schema` as while preparing — provisioners and post-processors
 * with the build's generated-data keys only, so per-run values are placeholders — and
 * fingerprints it. `generatedKeys` is undefined for a builder.
 */
export async function fingerprintSpec(
  kind: ComponentKind,
  spec: ComponentSpec,
  schema: ComponentSchema,
  generatedKeys: readonly string[] | undefined,
  parent: string | null,
  ctx: FingerprintContext,
  extras: KeyExtras = {},
): Promise<Fingerprint> {
  const decoded = spec.decode(schema, generatedKeys ? { keys: generatedKeys } : undefined);
  return fingerprintComponent({ kind, type: spec.type, schema, value: decoded.value, secrets: decoded.secrets }, parent, ctx, extras);
}

/** The key of a list of keys under one parent (a build's post-processor chains, a whole build). */
export function chainKey(kind: string, parent: string | null, keys: readonly (readonly string[])[]): string {
  return hashRecord({ kind, parent, keys: keys.map((k) => [...k]) });
}

/** The template's folder for `model` (its path when that is a folder, else the file's folder; `cwd` for stdin). */
export function templateDirOf(model: TemplateModel, cwd: string): string {
  const p = model.templatePath;
  if (p === undefined) return cwd;
  try {
    return statSync(p).isDirectory() ? p : path.dirname(p);
  } catch {
    return path.dirname(p);
  }
}

/**
 * The context to fingerprint `model`'s builds with: its template folder, `cwd` for
 * relative paths, the model's sensitive strings plus `sensitive` (those prepare found),
 * the cache secret (`secret`, e.g. `cacheSecret(env)`), and the remembered file digests
 * (`digests`, e.g. `statCache(<cache dir>/stat-cache.json)`) when there are some.
 */
export function fingerprintContext(model: TemplateModel, cwd: string, secret: CacheSecret, sensitive: readonly string[] = [], digests?: DigestCache): FingerprintContext {
  return { templateDir: templateDirOf(model, cwd), cwd, secret, sensitive: [...model.secrets, ...sensitive], ...(digests ? { digests } : {}) };
}
