/**
 * The fixers that rewrite builders one by one (Packer 1.16 `fix/fixer_*.go`). Each
 * reads `builders` as a list of maps (strictly: a builder that is not an object fails
 * the fix) and writes the list back, as Packer does even when it was absent (`null`).
 */
import type { JsonValue } from '../json/go-json.js';
import { decodeMapList, FixError, isObject, type JsonObject } from './decode.js';

/** A fixer: returns the fixed template or throws {@link FixError}. */
export interface Fixer {
  readonly name: string;
  readonly synopsis: string;
  fix(input: JsonObject): JsonObject;
}

/** The builder's `type` when it is a string. */
export function typeOf(b: JsonObject): string | undefined {
  const t = b['type'];
  return typeof t === 'string' ? t : undefined;
}

/** Moves `from` to `to` (overwriting) when `from` is present. */
function rename(b: JsonObject, from: string, to: string): void {
  if (!Object.hasOwn(b, from)) return;
  b[to] = b[from] ?? null;
  delete b[from];
}

function builderFixer(name: string, synopsis: string, each: (b: JsonObject) => void): Fixer {
  return {
    name,
    synopsis,
    fix(input) {
      const builders = decodeMapList(input, 'Builders');
      for (const b of builders ?? []) if (b !== null) each(b);
      input['builders'] = builders ?? null;
      return input;
    },
  };
}

/** Go's `\s` is ASCII whitespace only. */
const CREATE_TIME = /\{\{[\t\n\f\r ]*\.CreateTime[\t\n\f\r ]*\}\}/g;
const CLEAN_NAME = /clean_(image|ami)_name/g;

function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new FixError(`ssh_private_ip is not a boolean, strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`);
}

/** Go's int(float64) for the range JSON numbers take, then strconv.Itoa. */
function goIntText(f: number): string {
  const t = Math.trunc(f);
  return Math.abs(t) < 2 ** 63 ? BigInt(t).toString() : '-9223372036854775808';
}

function prependList(b: JsonObject, key: string, first: JsonObject): void {
  const existing = b[key];
  if (existing !== undefined && !Array.isArray(existing)) throw new FixError(`${key} is not a list (Packer crashes here)`);
  b[key] = [first, ...(existing ?? [])];
}

/** Packer's vsphere-iso-net-disk: loose network and disk options become the first adapter and disk. */
function vsphereNetworkDisk(b: JsonObject): void {
  if (typeOf(b) !== 'vsphere-iso') return;
  const move = (target: JsonObject, pairs: readonly (readonly [string, string])[]): boolean => {
    let moved = false;
    for (const [from, to] of pairs) {
      if (!Object.hasOwn(b, from)) continue;
      target[to] = b[from] ?? null;
      delete b[from];
      moved = true;
    }
    return moved;
  };
  const nic: JsonObject = {};
  if (move(nic, [['network', 'network'], ['networkCard', 'network_card'], ['network_card', 'network_card']])) prependList(b, 'network_adapters', nic);
  const disk: JsonObject = {};
  if (move(disk, [['disk_size', 'disk_size'], ['disk_thin_provisioned', 'disk_thin_provisioned'], ['disk_eagerly_scrub', 'disk_eagerly_scrub']])) prependList(b, 'storage', disk);
}

function vmwareCompaction(b: JsonObject): void {
  if (typeOf(b) !== 'vmware-iso' || b['remote_type'] !== 'esx5') return;
  if (!Object.hasOwn(b, 'disk_type_id')) b['disk_type_id'] = 'zeroedthick';
  else if (typeof b['disk_type_id'] !== 'string' || b['disk_type_id'] === 'thin') return;
  if (Object.hasOwn(b, 'skip_compaction')) {
    if (b['skip_compaction'] === false) b['skip_compaction'] = true;
    return;
  }
  b['skip_compaction'] = true;
}

function cleanImageName(b: JsonObject): void {
  for (const [key, value] of Object.entries(b)) {
    if (typeof value === 'string') b[key] = value.replace(CLEAN_NAME, 'clean_resource_name');
    else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) if (typeof v === 'string') value[k] = v.replace(CLEAN_NAME, 'clean_resource_name');
    } else if (key === 'image_labels') throw new FixError('image_labels is neither a string nor an object (Packer crashes here)');
  }
}

function isoChecksum(b: JsonObject): void {
  const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
  const url = str(b['iso_checksum_url']);
  const type = str(b['iso_checksum_type']);
  let checksum = str(b['iso_checksum']);
  delete b['iso_checksum_url'];
  delete b['iso_checksum_type'];
  if (checksum === '' && url === '') return;
  if (url !== '') checksum = `file:${url}`;
  else if (type !== '') checksum = `${type}:${checksum}`;
  b['iso_checksum'] = checksum;
}

const isAmazon = (b: JsonObject): boolean => typeOf(b)?.startsWith('amazon-') === true;

/** The builder fixers by name. */
export const BUILDER_FIXERS: ReadonlyMap<string, Fixer> = new Map([
  builderFixer('iso-md5', 'Replaces "iso_md5" in builders with "iso_checksum"', (b) => {
    if (typeof b['iso_md5'] !== 'string') return;
    b['iso_checksum'] = b['iso_md5'];
    b['iso_checksum_type'] = 'md5';
    delete b['iso_md5'];
  }),
  builderFixer('createtime', 'Replaces ".CreateTime" in builder configs with "{{timestamp}}"', (b) => {
    for (const key of ['ami_name', 'bundle_prefix', 'snapshot_name']) {
      const v = b[key];
      if (typeof v === 'string') b[key] = v.replace(CREATE_TIME, '{{timestamp}}');
    }
  }),
  builderFixer('virtualbox-gaattach', 'Updates VirtualBox builders using "guest_additions_attach" to use "guest_additions_mode"', (b) => {
    const attach = b['guest_additions_attach'];
    if (typeOf(b) !== 'virtualbox' || typeof attach !== 'boolean') return;
    delete b['guest_additions_attach'];
    b['guest_additions_mode'] = attach ? 'attach' : 'upload';
  }),
  builderFixer('vmware-rename', 'Updates "vmware" builders to "vmware-iso"', (b) => {
    if (typeOf(b) === 'vmware') b['type'] = 'vmware-iso';
  }),
  builderFixer('parallels-headless', 'Removes unused "headless" from Parallels builders', (b) => {
    if (typeOf(b) === 'parallels-iso' || typeOf(b) === 'parallels-pvm') delete b['headless'];
  }),
  builderFixer('parallels-deprecations', 'Removes deprecated "parallels_tools_host_path" from Parallels builders and changes "guest_os_distribution" to "guest_os_type".', (b) => {
    if (typeOf(b) !== 'parallels-iso' && typeOf(b) !== 'parallels-pvm') return;
    delete b['parallels_tools_host_path'];
    rename(b, 'guest_os_distribution', 'guest_os_type');
  }),
  builderFixer('sshkeypath', 'Updates builders using "ssh_key_path" to use "ssh_private_key_file"', (b) => {
    if (typeof b['ssh_key_path'] !== 'string') return;
    if (!Object.hasOwn(b, 'ssh_private_key_file')) b['ssh_private_key_file'] = b['ssh_key_path'];
    delete b['ssh_key_path'];
  }),
  builderFixer('sshdisableagent', 'Updates builders using "ssh_disable_agent" to use "ssh_disable_agent_forwarding"', (b) => {
    if (typeof b['ssh_disable_agent'] !== 'boolean') return;
    if (!Object.hasOwn(b, 'ssh_disable_agent_forwarding')) b['ssh_disable_agent_forwarding'] = b['ssh_disable_agent'];
    delete b['ssh_disable_agent'];
  }),
  builderFixer('scaleway-access-key', 'Updates builders using "access_key" to use "organization_id"', (b) => {
    if (b['type'] !== 'scaleway' || typeof b['access_key'] !== 'string') return;
    if (!Object.hasOwn(b, 'organization_id')) b['organization_id'] = b['access_key'];
    delete b['access_key'];
  }),
  builderFixer('amazon-shutdown_behavior', 'Changes "shutdown_behaviour" to "shutdown_behavior" in Amazon builders.', (b) => {
    if (isAmazon(b)) rename(b, 'shutdown_behaviour', 'shutdown_behavior');
  }),
  builderFixer('amazon-enhanced-networking', 'Replaces "enhanced_networking" in builders with "ena_support"', (b) => {
    if (!isAmazon(b) || typeof b['enhanced_networking'] !== 'boolean') return;
    b['ena_support'] = b['enhanced_networking'];
    delete b['enhanced_networking'];
  }),
  builderFixer('amazon-private-ip', 'Replaces `"ssh_private_ip": true` in amazon builders with `"ssh_interface": "private_ip"`', (b) => {
    if (!isAmazon(b) || Object.hasOwn(b, 'ssh_interface') || !Object.hasOwn(b, 'ssh_private_ip')) return;
    const raw = b['ssh_private_ip'];
    if (typeof raw !== 'boolean' && typeof raw !== 'string') throw new FixError('ssh_private_ip is neither a boolean nor a string (Packer crashes here)');
    const privateIp = typeof raw === 'boolean' ? raw : parseGoBool(raw);
    delete b['ssh_private_ip'];
    b['ssh_interface'] = privateIp ? 'private_ip' : 'public_ip';
  }),
  builderFixer('amazon-temp-sec-cidrs', 'Replaces "temporary_security_group_source_cidr" (string) with "temporary_security_group_source_cidrs" (list of strings)', (b) => {
    const cidr = b['temporary_security_group_source_cidr'];
    if (!isAmazon(b) || typeof cidr !== 'string') return;
    delete b['temporary_security_group_source_cidr'];
    b['temporary_security_group_source_cidrs'] = [cidr];
  }),
  builderFixer('vmware-compaction', 'Adds "skip_compaction = true" to "vmware-iso" builders with incompatible disk_type_id', vmwareCompaction),
  builderFixer('hyperv-deprecations', 'Removes the deprecated "vhd_temp_path" setting from Hyper-V ISO builder templates', (b) => {
    if (typeOf(b) === 'hyperv-iso') delete b['vhd_temp_path'];
  }),
  builderFixer('hyperv-vmxc-typo', 'Fixes a typo replacing "clone_from_vmxc_path" with "clone_from_vmcx_path" in Hyper-V VMCX builder templates', (b) => {
    if (typeOf(b) === 'hyperv-vmcx') rename(b, 'clone_from_vmxc_path', 'clone_from_vmcx_path');
  }),
  builderFixer('hyperv-cpu-and-ram', 'Replaces "cpu" with "cpus" and "ram_size" with "memory"in Hyper-V VMCX builder templates', (b) => {
    if (typeOf(b) !== 'hyperv-vmcx' && typeOf(b) !== 'hyperv-iso') return;
    rename(b, 'cpu', 'cpus');
    rename(b, 'ram_size', 'memory');
  }),
  builderFixer('clean-image-name', 'Replaces /clean_(image|ami)_name/ in builder configs with "clean_resource_name"', cleanImageName),
  builderFixer('spot-price-auto-product', 'Removes the deprecated "spot_price_auto_product" setting from Amazon builder templates', (b) => {
    if (['amazon-ebs', 'amazon-ebssurrogate', 'amazon-ebsvolume', 'amazon-instance'].includes(typeOf(b) ?? '')) delete b['spot_price_auto_product'];
  }),
  builderFixer('qemu-disk-size', 'Updates "disk_size" from int to string in QEMU builders.', (b) => {
    const size = b['disk_size'];
    if (typeOf(b) === 'qemu' && typeof size === 'number') b['disk_size'] = `${goIntText(size)}M`;
  }),
  builderFixer('vsphere-iso-net-disk', 'Removes deprecated network and disk fields from "vsphere-iso" builder', vsphereNetworkDisk),
  builderFixer('iso-checksum-type-and-url', 'Puts content of potential "iso_checksum_url" and "iso_checksum_url" in "iso_checksum"', isoChecksum),
  builderFixer('qemu-host-port', 'Updates ssh_host_port_min and ssh_host_port_max to host_port_min and host_port_max', (b) => {
    if (typeOf(b) !== 'qemu') return;
    rename(b, 'ssh_host_port_min', 'host_port_min');
    rename(b, 'ssh_host_port_max', 'host_port_max');
  }),
  builderFixer('azure-exclude_from_latest', 'Changes "exlude_from_latest" to "exclude_from_latest" in Azure builders.', (b) => {
    const dest = b['shared_image_destination'];
    if (typeOf(b)?.startsWith('azure-chroot') === true && isObject(dest)) rename(dest, 'exlude_from_latest', 'exclude_from_latest');
  }),
  builderFixer('proxmox-type', 'Updates the builder type proxmox to proxmox-iso', (b) => {
    if (typeOf(b) === 'proxmox') b['type'] = 'proxmox-iso';
  }),
].map((f) => [f.name, f]));
