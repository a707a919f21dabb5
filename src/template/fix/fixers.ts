/**
 * Every fixer of Packer 1.16's `packer fix`, in `fix.FixerOrder`: the builder fixers
 * (builder-fixers.ts) and those that rewrite provisioners, post-processors, or read
 * builders as a loose list (`WeakDecode` into `[]interface{}`, written back only when
 * not empty).
 */
import type { JsonValue } from '../json/go-json.js';
import { BUILDER_FIXERS, typeOf, type Fixer } from './builder-fixers.js';
import { goKind } from '../json/json-template.js';
import { decodeList, decodeMap, decodeMapList, FixError, postProcessorMaps, type JsonObject } from './decode.js';

export type { Fixer } from './builder-fixers.js';

/** A fixer over the post-processor definitions; a no-op when `post-processors` is absent or null. */
function postProcessorFixer(name: string, synopsis: string, each: (pp: JsonObject) => void, builders?: (b: JsonObject) => void): Fixer {
  return {
    name,
    synopsis,
    fix(input) {
      if (input['post-processors'] === undefined || input['post-processors'] === null) return input;
      const bs = builders === undefined ? undefined : decodeMapList(input, 'Builders');
      const list = decodeList(input, 'post-processors', false);
      for (const b of bs ?? []) if (b !== null && builders) builders(b);
      for (const pp of postProcessorMaps(list ?? [])) each(pp);
      if (builders !== undefined) input['builders'] = bs ?? null;
      input['post-processors'] = list ?? null;
      return input;
    },
  };
}

/**
 * A fixer over a loose list (`provisioners`, or `builders` read as `[]interface{}`):
 * `each` gets a copy of every element that is an object and returns it to replace the
 * element, or undefined to leave the element as it was.
 */
function looseListFixer(name: string, synopsis: string, field: 'Provisioners' | 'Builders', each: (m: JsonObject | null) => JsonObject | undefined): Fixer {
  return {
    name,
    synopsis,
    fix(input) {
      const list = decodeList(input, field, true) ?? [];
      list.forEach((raw, i) => {
        const m = decodeMap(raw, '', false);
        if ('error' in m) return;
        const replaced = each(m.ok);
        if (replaced !== undefined) list[i] = replaced;
      });
      if (list.length > 0) input[field.toLowerCase()] = list;
      return input;
    },
  };
}

/** `` `$ `` `` `" `` ``` `` ``` `` `' `` unescaped, left to right (strings.NewReplacer). */
function psUnescape(s: string): string {
  return s.replace(/`([$"`'])/g, '$1');
}

function powershellEscapes(p: JsonObject | null): JsonObject | undefined {
  if (p === null || p['type'] !== 'powershell') return undefined;
  for (const key of ['elevated_user', 'elevated_password']) {
    if (!Object.hasOwn(p, key)) continue;
    const v = p[key];
    if (typeof v !== 'string') throw new FixError(`${key} is not a string (Packer crashes here)`);
    p[key] = psUnescape(v);
  }
  if (Object.hasOwn(p, 'environment_vars')) {
    const raw = p['environment_vars'] ?? null;
    if (raw !== null && (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string'))) return undefined;
    p['environment_vars'] = (raw ?? []).map((v) => psUnescape(String(v)));
  }
  return p;
}

function galaxyCommand(p: JsonObject | null): JsonObject | undefined {
  if (p === null || p['type'] !== 'ansible-local') return undefined;
  if (Object.hasOwn(p, 'galaxy_command')) delete p['galaxycommand'];
  else {
    const cmd = p['galaxycommand'];
    if (typeof cmd !== 'string') return undefined;
    delete p['galaxycommand'];
    p['galaxy_command'] = cmd;
  }
  return p;
}

/** comm-config: one of the `ssh_`-prefixed port options moved to its new name, unless the new one is set. */
function movePortOption(b: JsonObject, to: string, boolOnly: boolean): void {
  const from = `ssh_${to}`;
  if (Object.hasOwn(b, to)) delete b[from];
  else if (Object.hasOwn(b, from)) {
    const v = b[from] ?? null;
    if (boolOnly && typeof v !== 'boolean') return;
    delete b[from];
    b[to] = v;
  }
}

function commConfig(b: JsonObject | null): JsonObject | undefined {
  const type = b === null ? undefined : typeOf(b);
  if (b === null || type === undefined) throw new FixError('a builder has no string "type" (Packer crashes here)');
  if (!type.startsWith('virtualbox')) return undefined;
  movePortOption(b, 'host_port_min', false);
  movePortOption(b, 'host_port_max', false);
  movePortOption(b, 'skip_nat_mapping', true);
  return b;
}

function sshWaitTimeout(b: JsonObject | null): JsonObject | undefined {
  if (b === null) return undefined;
  if (Object.hasOwn(b, 'ssh_timeout')) delete b['ssh_wait_timeout'];
  else {
    const v = b['ssh_wait_timeout'];
    if (typeof v !== 'string') return undefined;
    delete b['ssh_wait_timeout'];
    b['ssh_timeout'] = v;
  }
  return b;
}

/** virtualbox-rename: the builder type, and provisioner overrides keyed by it. */
const virtualboxRename: Fixer = {
  name: 'virtualbox-rename',
  synopsis: 'Updates "virtualbox" builders to "virtualbox-iso"',
  fix(input) {
    const builders = decodeMapList(input, 'Builders', true) ?? [];
    const provisioners = decodeList(input, 'Provisioners', true) ?? [];
    for (const b of builders) if (b !== null && typeOf(b) === 'virtualbox') b['type'] = 'virtualbox-iso';
    provisioners.forEach((raw, i) => {
      const m = decodeMap(raw, '', true);
      if ('error' in m || m.ok === null || !Object.hasOwn(m.ok, 'override')) return;
      const o = decodeMap(m.ok['override'] ?? null, '', true);
      if ('error' in o) throw new FixError(o.error);
      const override = o.ok;
      if (override === null || !Object.hasOwn(override, 'virtualbox')) return;
      override['virtualbox-iso'] = override['virtualbox'] ?? null;
      delete override['virtualbox'];
      m.ok['override'] = override;
      provisioners[i] = m.ok;
    });
    if (builders.length > 0) input['builders'] = builders;
    if (provisioners.length > 0) input['provisioners'] = provisioners;
    return input;
  },
};

function dockerTags(pp: JsonObject): void {
  if (pp['type'] !== 'docker-tag') return;
  const tags: string[] = [];
  const collect = (raw: JsonValue | undefined): void => {
    if (Array.isArray(raw)) {
      for (const t of raw) {
        if (typeof t !== 'string') throw new FixError(`docker-tag tag ${goKind(t)} is not a string (Packer crashes here)`);
        tags.push(t);
      }
    } else if (typeof raw === 'string') tags.push(...raw.split(',').map((t) => t.trim()));
  };
  collect(pp['tag']);
  collect(pp['tags']);
  delete pp['tag'];
  pp['tags'] = [...new Set(tags)];
}

const VAGRANT_PROVIDERS = ['aws', 'digitalocean', 'virtualbox', 'vmware'];

/** All fixers in the order `packer fix` runs them. */
export const FIXERS: readonly Fixer[] = [
  'iso-md5', 'createtime', 'virtualbox-gaattach',
  postProcessorFixer('pp-vagrant-override', 'Fixes provider-specific overrides for Vagrant post-processor', (pp) => {
    if (pp['type'] !== 'vagrant') return;
    const overrides: JsonObject = {};
    for (const p of VAGRANT_PROVIDERS) {
      if (!Object.hasOwn(pp, p)) continue;
      overrides[p] = pp[p] ?? null;
      delete pp[p];
    }
    if (Object.keys(overrides).length > 0) pp['override'] = overrides;
  }),
  virtualboxRename,
  'vmware-rename', 'parallels-headless', 'parallels-deprecations', 'sshkeypath', 'sshdisableagent', 'scaleway-access-key',
  postProcessorFixer('manifest-filename', 'Updates "manifest" post-processor so any "filename" field is renamed to "output".', (pp) => {
    const filename = pp['filename'];
    if (pp['type'] !== 'manifest' || typeof filename !== 'string') return;
    delete pp['filename'];
    pp['output'] = filename;
  }),
  'amazon-shutdown_behavior', 'amazon-enhanced-networking', 'amazon-private-ip', 'amazon-temp-sec-cidrs',
  postProcessorFixer('docker-email', 'Removes "login_email" from the Docker builder.', (pp) => {
    delete pp['login_email'];
  }, (b) => {
    delete b['login_email'];
  }),
  postProcessorFixer('docker-tag-tags', 'Updates "docker" post-processor so any "tag" field is renamed to "tags".', dockerTags),
  looseListFixer('powershell-escapes', 'Removes PowerShell escapes from user env vars and elevated username and password strings', 'Provisioners', powershellEscapes),
  'vmware-compaction', 'hyperv-deprecations', 'hyperv-vmxc-typo', 'hyperv-cpu-and-ram', 'clean-image-name', 'spot-price-auto-product', 'qemu-disk-size',
  looseListFixer('galaxy-command', 'Replaces "galaxycommand" in ansible-local provisioner configs with "galaxy_command"', 'Provisioners', galaxyCommand),
  looseListFixer('comm-config', 'Remove ssh prefixes from communicator port forwarding configuration (host_port_min, host_port_max, skip_nat_mapping)', 'Builders', commConfig),
  looseListFixer('ssh-wait-timeout', 'Replaces "ssh_wait_timeout" with "ssh_timeout"', 'Builders', sshWaitTimeout),
  'vsphere-iso-net-disk', 'iso-checksum-type-and-url', 'qemu-host-port', 'azure-exclude_from_latest', 'proxmox-type',
].map((f) => {
  if (typeof f !== 'string') return f;
  const fixer = BUILDER_FIXERS.get(f);
  if (fixer === undefined) throw new Error(`fix: no builder fixer ${f}`);
  return fixer;
});

/** Runs every fixer over a decoded template; the fixed template or the first fixer's error text. */
export function runFixers(input: JsonObject): { kind: 'ok'; value: JsonObject } | { kind: 'error'; message: string } {
  let current = input;
  for (const f of FIXERS) {
    try {
      current = f.fix(current);
    } catch (e) {
      if (e instanceof FixError) return { kind: 'error', message: e.message };
      throw e;
    }
  }
  return { kind: 'ok', value: current };
}

