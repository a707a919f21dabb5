/**
 * `<plugin> describe`: the JSON a multi-component plugin prints about itself
 * (sdk plugin/set.go SetDescription), run once per binary path and modification time.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';

/** What `describe` says. Component lists use the plugin's own names (`ebs`, `-packer-default-plugin-name-`). */
export interface PluginDescription {
  readonly version: string;
  readonly sdkVersion?: string;
  /** `x5.0`. */
  readonly apiVersion: string;
  readonly builders: readonly string[];
  readonly provisioners: readonly string[];
  readonly postProcessors: readonly string[];
  readonly datasources: readonly string[];
  /** `v2` when the plugin speaks protobuf (SDK ≥ 0.6); absent for gob-only plugins. */
  readonly protocolVersion?: string;
}

export type DescribeResult = { readonly description: PluginDescription } | { readonly error: string };

/** How long a `describe` may take before kiln gives up on the binary. */
const DESCRIBE_TIMEOUT_MS = 60_000;

interface CacheEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: Promise<DescribeResult>;
}

const cache = new Map<string, CacheEntry>();

/**
 * Runs `binary describe` with `env` and parses its output; the answer is cached in memory
 * for the binary's path, size and modification time. Never throws.
 */
export async function describePlugin(binary: string, env: NodeJS.ProcessEnv): Promise<DescribeResult> {
  let st;
  try {
    st = await stat(binary);
  } catch (e) {
    return { error: `failed to get plugin description from executable ${JSON.stringify(binary)}: ${(e as Error).message}` };
  }
  const hit = cache.get(binary);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.result;
  const result = runDescribe(binary, env);
  cache.set(binary, { mtimeMs: st.mtimeMs, size: st.size, result });
  return result;
}

function runDescribe(binary: string, env: NodeJS.ProcessEnv): Promise<DescribeResult> {
  return new Promise((resolve) => {
    execFile(binary, ['describe'], { env, timeout: DESCRIBE_TIMEOUT_MS, maxBuffer: 1 << 20, windowsHide: true }, (err, stdout) => {
      const prefix = `failed to get plugin description from executable ${JSON.stringify(binary)}`;
      if (err) {
        resolve({ error: `${prefix}: ${err.killed ? 'timed out' : err.message.split('\n')[0]}` });
        return;
      }
      const parsed = parseDescription(stdout);
      resolve(typeof parsed === 'string' ? { error: `${prefix}: ${parsed}` } : { description: parsed });
    });
  });
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** Parses `describe` output; a string says what is wrong with it. */
export function parseDescription(text: string): PluginDescription | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `invalid describe output: ${(e as Error).message}`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'invalid describe output: not a JSON object';
  const o = raw as Record<string, unknown>;
  const builders = stringList(o.builders);
  const provisioners = stringList(o.provisioners);
  const postProcessors = stringList(o.post_processors);
  const datasources = stringList(o.datasources);
  if (typeof o.version !== 'string' || typeof o.api_version !== 'string' || !builders || !provisioners || !postProcessors || !datasources) {
    return 'invalid describe output: version, api_version and the component lists are required';
  }
  return {
    version: o.version,
    apiVersion: o.api_version,
    builders,
    provisioners,
    postProcessors,
    datasources,
    ...(typeof o.sdk_version === 'string' ? { sdkVersion: o.sdk_version } : {}),
    ...(typeof o.protocol_version === 'string' && o.protocol_version !== '' ? { protocolVersion: o.protocol_version } : {}),
  };
}
