/**
 * The blocks of an upgraded template, each written as Packer 1.16's `hcl2_upgrade`
 * parsers write them (`command/hcl2_upgrade.go`): the `packer` block, variables and
 * locals, the data sources its rewriting creates, sources and the build block.
 */
import { compareStrings } from '../../hcl/cty/strings.js';
import { formatDuration, parseDuration } from '../../sdk/duration.js';
import type { JsonValue } from '../json/go-json.js';
import type { JsonPostProcessor, JsonProvisioner, JsonTemplate, JsonVariable } from '../json/json-template.js';
import { Body } from './hcl-emit.js';
import { transposeTemplatingCalls, variableTransposeTemplatingCalls, type UpgradeState } from './transpose.js';

type JsonObject = { [key: string]: JsonValue };

/** The HashiCorp plugins Packer writes a `required_plugins` entry for, by component prefix. */
const KNOWN_PLUGINS: readonly string[] = ['amazon', 'ansible', 'azure', 'docker', 'googlecompute', 'qemu', 'vagrant', 'virtualbox', 'vmware', 'vsphere'];

/** The plugin prefix a component type belongs to, or undefined when it is no known plugin's. */
export function knownPlugin(type: string): string | undefined {
  return KNOWN_PLUGINS.find((p) => type.startsWith(p));
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPrimitive(v: JsonValue | undefined): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Keys that Packer always writes as nested blocks. */
const ALWAYS_BLOCKS = new Set(['linux_options', 'network_interface', 'shared_image_gallery']);

/** Packer's guess of the "most complex" element: the last non-primitive, else the first primitive. */
function mostComplex(values: readonly JsonValue[]): JsonValue | undefined {
  let found: JsonValue | undefined;
  for (const v of values) {
    if (isPrimitive(v)) {
      if (found !== undefined && found !== null) continue;
      found = v;
    } else {
      found = v;
    }
  }
  return found;
}

/**
 * jsonBodyToHCL2Body: keys in sorted order; a map of plain values becomes an attribute,
 * a map holding objects or lists a nested block; a list of objects one block per element.
 */
export function writeJsonBody(out: Body, kvs: JsonObject): void {
  for (const k of Object.keys(kvs).sort(compareStrings)) {
    const value = kvs[k] ?? null;
    if (isObject(value)) {
      const elem = ALWAYS_BLOCKS.has(k) ? undefined : mostComplex(Object.values(value));
      if (isPrimitive(elem)) out.attr(k, value);
      else writeJsonBody(out.block(k), value);
    } else if (Array.isArray(value)) {
      if (value.length === 0) continue;
      if (isObject(mostComplex(value))) {
        for (const e of value) writeJsonBody(out.block(k), isObject(e) ? e : {});
        continue;
      }
      out.attr(k, value);
    } else {
      out.attr(k, value);
    }
  }
}

/** The `packer` block: `required_version` and `required_plugins`; '' when neither applies. */
export function packerBlock(tpl: JsonTemplate): string {
  const plugins = new Set<string>();
  const add = (type: string): void => {
    const p = knownPlugin(type);
    if (p !== undefined) plugins.add(p);
  };
  tpl.builders.forEach((b) => add(b.type));
  tpl.provisioners.forEach((p) => add(p.type));
  tpl.postProcessors.forEach((chain) => chain.forEach((p) => add(p.type)));
  if (tpl.minPackerVersion === '' && plugins.size === 0) return '';
  const file = new Body();
  const packer = file.block('packer');
  if (tpl.minPackerVersion !== '') packer.attr('required_version', `>= ${tpl.minPackerVersion}`);
  if (plugins.size > 0) {
    const req = packer.block('required_plugins');
    for (const p of [...plugins].sort()) req.attr(p, { source: `github.com/hashicorp/${p}`, version: '~> 1' });
  }
  return file.text();
}

/** Variables and locals: the variable blocks, and the local(s) blocks for defaults that need one. */
export function variableBlocks(variables: readonly JsonVariable[], state: UpgradeState): { variables: string; locals: string } {
  const localsFile = new Body();
  localsFile.newline();
  const localsBody = localsFile.block('locals');
  let hasLocals = false;
  let varsOut = '';
  let localsOut = '';
  const sorted = [...variables].sort((a, b) => compareStrings(a.name, b.name));
  for (const v of sorted) {
    if (variableTransposeTemplatingCalls(v.default).isLocal) {
      if (v.sensitive) {
        const file = new Body();
        file.newline();
        const local = file.block('local', [v.name]);
        local.attr('sensitive', true);
        local.attr('expression', v.default);
        state.locals.set(v.name, 'local');
        localsOut += transposeTemplatingCalls(file.text(), state);
      } else {
        localsBody.attr(v.name, v.default);
        state.locals.set(v.name, 'locals');
        hasLocals = true;
      }
      continue;
    }
    const file = new Body();
    file.newline();
    const block = file.block('variable', [v.name]);
    block.attrRaw('type', 'string');
    if (v.default !== '' || !v.required) block.attr('default', v.default);
    if (v.sensitive) block.attr('sensitive', true);
    varsOut += variableTransposeTemplatingCalls(file.text()).out;
  }
  if (hasLocals) localsOut += transposeTemplatingCalls(localsFile.text(), state);
  return { variables: varsOut, locals: localsOut };
}

/** The `data "amazon-secretsmanager"` blocks for the secrets the rewriting met. */
export function secretsBlocks(state: UpgradeState): string {
  let out = '';
  for (const id of [...state.secrets.keys()].sort(compareStrings)) {
    const file = new Body();
    file.newline();
    const c = state.secrets.get(id);
    writeJsonBody(file.block('data', ['amazon-secretsmanager', id]), c?.key === undefined ? { name: c?.name ?? '' } : { key: c.key, name: c.name });
    out += file.text();
  }
  return out;
}

/** A provisioner block, with its meta options written back as attributes. */
function provisionerBlock(kind: string, p: JsonProvisioner): string {
  const file = new Body();
  const block = file.block(kind, [p.type]);
  const cfg: JsonObject = { ...p.config };
  if (p.except.length > 0) cfg['except'] = [...p.except];
  if (p.only.length > 0) cfg['only'] = [...p.only];
  if (p.maxRetries !== undefined && p.maxRetries !== '') cfg['max_retries'] = p.maxRetries;
  const timeout = durationText(p.timeout);
  if (timeout !== undefined) cfg['timeout'] = timeout;
  const pause = durationText(p.pauseBefore);
  if (pause !== undefined) cfg['pause_before'] = pause;
  file.newline();
  writeJsonBody(block, cfg);
  return file.text();
}

/** Go's Duration.String() of a positive duration; undefined when absent or not positive. */
function durationText(d: string | number | undefined): string | undefined {
  if (d === undefined) return undefined;
  let ms: number;
  if (typeof d === 'number') ms = Math.trunc(d) / 1e6;
  else {
    const r = parseDuration(d);
    if (r.kind === 'error') return undefined;
    ms = r.ms;
  }
  return ms > 0 ? formatDuration(ms) : undefined;
}

function postProcessorBody(body: Body, pp: JsonPostProcessor): void {
  const block = body.block('post-processor', [pp.type]);
  if (pp.keepInputArtifact !== undefined) block.attr('keep_input_artifact', pp.keepInputArtifact);
  const cfg: JsonObject = { ...pp.config };
  if (pp.except.length > 0) cfg['except'] = [...pp.except];
  if (pp.only.length > 0) cfg['only'] = [...pp.only];
  if (pp.name !== '' && pp.name !== pp.type) cfg['name'] = pp.name;
  writeJsonBody(block, cfg);
}

/** The build block: sources, then provisioners, the cleanup provisioner and post-processors. */
export function buildBlock(tpl: JsonTemplate, sourceNames: readonly string[], annotations: boolean, header: string, state: UpgradeState): string {
  if (sourceNames.length === 0) return '';
  const head = new Body();
  if (tpl.description !== '') {
    head.attr('description', tpl.description);
    head.newline();
  }
  head.attr('sources', [...sourceNames]);
  head.newline();
  let out = annotations ? header : '\n';
  out += `build {\n${head.text()}`;
  for (const p of tpl.provisioners) out += transposeTemplatingCalls(provisionerBlock('provisioner', p), state);
  if (tpl.cleanupProvisioner !== undefined) out += transposeTemplatingCalls(provisionerBlock('error-cleanup-provisioner', tpl.cleanupProvisioner), state);
  for (const chain of tpl.postProcessors) {
    if (chain.length === 0) continue;
    const file = new Body();
    const body = chain.length === 1 ? file : file.block('post-processors');
    for (const pp of chain) postProcessorBody(body, pp);
    out += transposeTemplatingCalls(file.text(), state);
  }
  return `${out}}\n`;
}
