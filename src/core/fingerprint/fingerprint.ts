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
 * - `bust`: the user's bust value (`-cache-bust`), null when none.
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
import { configRecord } from './record.js';
import type { CacheSecret } from './secret.js';

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
}

/** What every fingerprint of a run shares. */
export interface FingerprintContext extends PathContext {
  readonly secret: CacheSecret;
  /** Strings that are sensitive wherever they appear: the model's `secrets` and those prepare found. */
  readonly sensitive: readonly string[];
  /** The user's bust value (`-cache-bust`): enters every base, so every key changes with it. */
  readonly bust?: string;
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
  const record: KeyValue = {
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
  const barrier = barrierOf(c.kind, c.type, external);
  return {
    key: hashRecord(record),
    parent,
    kind: c.kind,
    component: c.type,
    inputs,
    volatile: extras.volatile ?? [],
    ...(barrier !== undefined ? { barrier } : {}),
  };
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
