/**
 * Cases for each `fix` fixer: what Packer 1.16's fix/*_test.go check, restated, plus
 * cases for the fixers Packer has no test for. Each case is a template and what that
 * one fixer makes of it. The unit tests check them against kiln's fixers; the `fix`
 * conformance suite also runs every input through `packer fix` and `kiln fix`.
 */
import type { JsonValue } from '../../src/template/json/go-json.js';

type Obj = { [key: string]: JsonValue };

export interface FixerCase {
  readonly fixer: string;
  readonly title: string;
  readonly input: Obj;
  /** The template after this fixer alone, or the error text it fails with. */
  readonly expected: Obj | { readonly error: string };
}

/** A case over one builder: the template holds just that builder. */
function builder(fixer: string, title: string, input: Obj, expected: Obj): FixerCase {
  return { fixer, title, input: { builders: [input] }, expected: { builders: [expected] } };
}

function provisioner(fixer: string, title: string, input: Obj, expected: Obj): FixerCase {
  return { fixer, title, input: { builders: [{ type: 'null' }], provisioners: [input] }, expected: { builders: [{ type: 'null' }], provisioners: [expected] } };
}

export const FIXER_CASES: readonly FixerCase[] = [
  builder('iso-md5', 'iso_md5 becomes iso_checksum with an md5 type', { type: 'foo', iso_md5: 'bar' }, { type: 'foo', iso_checksum: 'bar', iso_checksum_type: 'md5' }),
  builder('iso-md5', 'a non-string iso_md5 is left alone', { type: 'foo', iso_md5: 5 }, { type: 'foo', iso_md5: 5 }),
  builder('createtime', '{{.CreateTime}} in ami_name becomes {{timestamp}}', { type: 'foo', ami_name: '{{.CreateTime}} foo' }, { type: 'foo', ami_name: '{{timestamp}} foo' }),
  builder('createtime', 'spaces inside the braces and other keys', { type: 'foo', snapshot_name: 'x-{{ .CreateTime }}', other: '{{.CreateTime}}' }, { type: 'foo', snapshot_name: 'x-{{timestamp}}', other: '{{.CreateTime}}' }),
  builder('virtualbox-gaattach', 'no attach option: unchanged', { type: 'virtualbox' }, { type: 'virtualbox' }),
  builder('virtualbox-gaattach', 'attach false becomes upload mode', { type: 'virtualbox', guest_additions_attach: false }, { type: 'virtualbox', guest_additions_mode: 'upload' }),
  builder('virtualbox-gaattach', 'attach true becomes attach mode', { type: 'virtualbox', guest_additions_attach: true }, { type: 'virtualbox', guest_additions_mode: 'attach' }),
  builder('virtualbox-gaattach', 'a non-boolean attach is kept', { type: 'virtualbox', guest_additions_attach: 'what' }, { type: 'virtualbox', guest_additions_attach: 'what' }),
  {
    fixer: 'pp-vagrant-override',
    title: 'provider sections of vagrant post-processors move under override, in chains too',
    input: { 'post-processors': ['foo', { type: 'vagrant', aws: { foo: 'bar' } }, { type: 'vsphere' }, [{ type: 'vagrant', vmware: { foo: 'bar' } }]] },
    expected: { 'post-processors': ['foo', { type: 'vagrant', override: { aws: { foo: 'bar' } } }, { type: 'vsphere' }, [{ type: 'vagrant', override: { vmware: { foo: 'bar' } } }]] },
  },
  builder('virtualbox-rename', 'virtualbox becomes virtualbox-iso', { type: 'virtualbox' }, { type: 'virtualbox-iso' }),
  {
    fixer: 'virtualbox-rename',
    title: 'a provisioner override for virtualbox is renamed',
    input: { provisioners: [{ override: { virtualbox: {} } }] },
    expected: { provisioners: [{ override: { 'virtualbox-iso': {} } }] },
  },
  { fixer: 'virtualbox-rename', title: 'a provisioner override that is no object fails', input: { provisioners: [{ override: 'x' }] }, expected: { error: "'' expected a map, got 'string'" } },
  builder('vmware-rename', 'vmware becomes vmware-iso', { type: 'vmware' }, { type: 'vmware-iso' }),
  builder('parallels-headless', 'no headless: unchanged', { type: 'parallels-iso' }, { type: 'parallels-iso' }),
  builder('parallels-headless', 'headless is removed', { type: 'parallels-iso', headless: false }, { type: 'parallels-iso' }),
  builder('parallels-deprecations', 'no tools host path: unchanged', { type: 'parallels-iso' }, { type: 'parallels-iso' }),
  builder('parallels-deprecations', 'the tools host path is removed', { type: 'parallels-iso', parallels_tools_host_path: '/Path...' }, { type: 'parallels-iso' }),
  builder('parallels-deprecations', 'guest_os_type alone is kept', { type: 'parallels-iso', guest_os_type: 'ubuntu' }, { type: 'parallels-iso', guest_os_type: 'ubuntu' }),
  builder('parallels-deprecations', 'guest_os_distribution replaces guest_os_type', { type: 'parallels-iso', guest_os_type: 'linux', guest_os_distribution: 'ubuntu' }, { type: 'parallels-iso', guest_os_type: 'ubuntu' }),
  builder('parallels-deprecations', 'guest_os_distribution becomes guest_os_type', { type: 'parallels-pvm', guest_os_distribution: 'ubuntu' }, { type: 'parallels-pvm', guest_os_type: 'ubuntu' }),
  builder('sshkeypath', 'no key path: unchanged', { type: 'virtualbox' }, { type: 'virtualbox' }),
  builder('sshkeypath', 'private key file alone is kept', { ssh_private_key_file: 'id_rsa' }, { ssh_private_key_file: 'id_rsa' }),
  builder('sshkeypath', 'key path becomes private key file', { ssh_key_path: 'id_rsa' }, { ssh_private_key_file: 'id_rsa' }),
  builder('sshkeypath', 'an existing private key file wins over the key path', { ssh_key_path: 'key_id_rsa', ssh_private_key_file: 'private_id_rsa' }, { ssh_private_key_file: 'private_id_rsa' }),
  builder('sshdisableagent', 'no option: unchanged', { type: 'virtualbox' }, { type: 'virtualbox' }),
  builder('sshdisableagent', 'the new option alone is kept', { ssh_disable_agent_forwarding: true }, { ssh_disable_agent_forwarding: true }),
  builder('sshdisableagent', 'the old option becomes the new one', { ssh_disable_agent: true }, { ssh_disable_agent_forwarding: true }),
  builder('sshdisableagent', 'the new option wins over the old one', { ssh_disable_agent: true, ssh_disable_agent_forwarding: false }, { ssh_disable_agent_forwarding: false }),
  builder('scaleway-access-key', 'no access key: unchanged', { type: 'scaleway' }, { type: 'scaleway' }),
  builder('scaleway-access-key', 'organization id alone is kept', { type: 'scaleway', organization_id: '0000' }, { type: 'scaleway', organization_id: '0000' }),
  builder('scaleway-access-key', 'access key becomes organization id', { type: 'scaleway', access_key: '1111' }, { type: 'scaleway', organization_id: '1111' }),
  builder('scaleway-access-key', 'an existing organization id wins', { type: 'scaleway', access_key: '2222', organization_id: '3333' }, { type: 'scaleway', organization_id: '3333' }),
  {
    fixer: 'manifest-filename',
    title: 'manifest filename becomes output, in chains too',
    input: { 'post-processors': [{ type: 'manifest', filename: 'foo' }, [{ type: 'manifest', filename: 'foo' }]] },
    expected: { 'post-processors': [{ type: 'manifest', output: 'foo' }, [{ type: 'manifest', output: 'foo' }]] },
  },
  builder('amazon-shutdown_behavior', 'no shutdown option: unchanged', { type: 'amazon-ebs' }, { type: 'amazon-ebs' }),
  builder('amazon-shutdown_behavior', 'the British spelling is replaced', { type: 'amazon-ebs', shutdown_behaviour: 'stop' }, { type: 'amazon-ebs', shutdown_behavior: 'stop' }),
  builder('amazon-enhanced-networking', 'enhanced_networking false becomes ena_support false', { type: 'amazon-ebs', enhanced_networking: false }, { type: 'amazon-ebs', ena_support: false }),
  builder('amazon-enhanced-networking', 'enhanced_networking true becomes ena_support true', { type: 'amazon-ebs', enhanced_networking: true }, { type: 'amazon-ebs', ena_support: true }),
  builder('amazon-private-ip', 'ssh_private_ip false means the public IP', { type: 'amazon-ebs', ssh_private_ip: false }, { type: 'amazon-ebs', ssh_interface: 'public_ip' }),
  builder('amazon-private-ip', 'ssh_private_ip true means the private IP', { type: 'amazon-ebs', ssh_private_ip: true }, { type: 'amazon-ebs', ssh_interface: 'private_ip' }),
  builder('amazon-private-ip', 'ssh_private_ip as the string "true"', { type: 'amazon-ebs', ssh_private_ip: 'true' }, { type: 'amazon-ebs', ssh_interface: 'private_ip' }),
  {
    fixer: 'amazon-private-ip',
    title: 'a string that is no boolean fails',
    input: { builders: [{ type: 'amazon-ebs', ssh_private_ip: 'not-a-boolean-value' }] },
    expected: { error: 'ssh_private_ip is not a boolean, strconv.ParseBool: parsing "not-a-boolean-value": invalid syntax' },
  },
  builder('amazon-temp-sec-cidrs', 'the single CIDR becomes a list', { type: 'amazon-ebs', temporary_security_group_source_cidr: '0.0.0.0/0' }, { type: 'amazon-ebs', temporary_security_group_source_cidrs: ['0.0.0.0/0'] }),
  {
    fixer: 'docker-email',
    title: 'login_email goes from builders and post-processors',
    input: { builders: [{ type: 'docker', login_email: 'a@b' }], 'post-processors': [{ type: 'docker-push', login_email: 'a@b', login: true }] },
    expected: { builders: [{ type: 'docker' }], 'post-processors': [{ type: 'docker-push', login: true }] },
  },
  {
    fixer: 'docker-email',
    title: 'without post-processors nothing changes',
    input: { builders: [{ type: 'docker', login_email: 'a@b' }] },
    expected: { builders: [{ type: 'docker', login_email: 'a@b' }] },
  },
  {
    fixer: 'docker-tag-tags',
    title: 'tag and tags merge into tags without duplicates',
    input: { 'post-processors': [{ type: 'docker-tag', tag: 'foo', tags: ['foo', 'bar'] }, [{ type: 'docker-tag', tag: ['baz'], tags: ['foo', 'bar'] }]] },
    expected: { 'post-processors': [{ type: 'docker-tag', tags: ['foo', 'bar'] }, [{ type: 'docker-tag', tags: ['baz', 'foo', 'bar'] }]] },
  },
  {
    fixer: 'docker-tag-tags',
    title: 'a comma-separated tag is split and trimmed',
    input: { 'post-processors': [{ type: 'docker-tag', tag: 'a, b ,c' }] },
    expected: { 'post-processors': [{ type: 'docker-tag', tags: ['a', 'b', 'c'] }] },
  },
  provisioner('powershell-escapes', 'backtick escapes are removed from elevated credentials and env vars',
    { type: 'powershell', elevated_user: 'a`$b', elevated_password: 'p`"w``d`\'', environment_vars: ['X=`$y', 'Z=``'] },
    { type: 'powershell', elevated_user: 'a$b', elevated_password: 'p"w`d\'', environment_vars: ['X=$y', 'Z=`'] }),
  provisioner('powershell-escapes', 'other provisioners are untouched', { type: 'shell', environment_vars: ['X=`$y'] }, { type: 'shell', environment_vars: ['X=`$y'] }),
  builder('vmware-compaction', 'other builders are untouched', { type: 'virtualbox-iso' }, { type: 'virtualbox-iso' }),
  builder('vmware-compaction', 'a local vmware-iso is untouched', { type: 'vmware-iso' }, { type: 'vmware-iso' }),
  builder('vmware-compaction', 'esx5 without a disk type gets zeroedthick and skips compaction', { type: 'vmware-iso', remote_type: 'esx5' }, { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'zeroedthick', skip_compaction: true }),
  builder('vmware-compaction', 'esx5 with zeroedthick skips compaction', { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'zeroedthick' }, { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'zeroedthick', skip_compaction: true }),
  builder('vmware-compaction', 'skip_compaction false is turned on', { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'zeroedthick', skip_compaction: false }, { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'zeroedthick', skip_compaction: true }),
  builder('vmware-compaction', 'thin disks can be compacted', { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'thin' }, { type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 'thin' }),
  builder('hyperv-deprecations', 'no vhd_temp_path: unchanged', { type: 'hyperv-iso' }, { type: 'hyperv-iso' }),
  builder('hyperv-deprecations', 'vhd_temp_path is removed', { type: 'hyperv-iso', vhd_temp_path: 'foopath' }, { type: 'hyperv-iso' }),
  builder('hyperv-vmxc-typo', 'no misspelled option: unchanged', { type: 'hyperv-vmcx', temp_path: 'C:/some/temp/path' }, { type: 'hyperv-vmcx', temp_path: 'C:/some/temp/path' }),
  builder('hyperv-vmxc-typo', 'vmxc is corrected to vmcx', { type: 'hyperv-vmcx', clone_from_vmxc_path: 'C:/some/vmcx/path' }, { type: 'hyperv-vmcx', clone_from_vmcx_path: 'C:/some/vmcx/path' }),
  builder('hyperv-cpu-and-ram', 'cpu and ram_size are renamed', { type: 'hyperv-iso', cpu: 2, ram_size: 1024 }, { type: 'hyperv-iso', cpus: 2, memory: 1024 }),
  builder('hyperv-cpu-and-ram', 'other builders keep cpu', { type: 'qemu', cpu: 2 }, { type: 'qemu', cpu: 2 }),
  builder('clean-image-name', 'clean_image_name and clean_ami_name become clean_resource_name, in maps too',
    { type: 'foo', ami_name: 'heyo clean_image_name', image_labels: { name: 'test-packer-{{packer_version | clean_ami_name}}' } },
    { type: 'foo', ami_name: 'heyo clean_resource_name', image_labels: { name: 'test-packer-{{packer_version | clean_resource_name}}' } }),
  builder('spot-price-auto-product', 'the deprecated option is removed from amazon-ebs', { type: 'amazon-ebs', spot_price_auto_product: 'Linux/UNIX' }, { type: 'amazon-ebs' }),
  builder('spot-price-auto-product', 'other builders keep it', { type: 'amazon-chroot', spot_price_auto_product: 'x' }, { type: 'amazon-chroot', spot_price_auto_product: 'x' }),
  builder('qemu-disk-size', 'a numeric disk size gets the M suffix', { type: 'qemu', disk_size: 40960 }, { type: 'qemu', disk_size: '40960M' }),
  builder('qemu-disk-size', 'a fractional size is truncated', { type: 'qemu', disk_size: 50000.7 }, { type: 'qemu', disk_size: '50000M' }),
  provisioner('galaxy-command', 'galaxy_command alone is kept', { type: 'ansible-local', galaxy_command: '/usr/local/bin/ansible-galaxy' }, { type: 'ansible-local', galaxy_command: '/usr/local/bin/ansible-galaxy' }),
  provisioner('galaxy-command', 'galaxycommand becomes galaxy_command', { type: 'ansible-local', galaxycommand: '/usr/bin/ansible-galaxy' }, { type: 'ansible-local', galaxy_command: '/usr/bin/ansible-galaxy' }),
  provisioner('galaxy-command', 'galaxy_command wins over galaxycommand', { type: 'ansible-local', galaxy_command: 'a', galaxycommand: 'b' }, { type: 'ansible-local', galaxy_command: 'a' }),
  builder('comm-config', 'host_port_min is kept', { type: 'virtualbox-iso', host_port_min: 2222 }, { type: 'virtualbox-iso', host_port_min: 2222 }),
  builder('comm-config', 'ssh_host_port_min becomes host_port_min', { type: 'virtualbox-ovf', ssh_host_port_min: 2222 }, { type: 'virtualbox-ovf', host_port_min: 2222 }),
  builder('comm-config', 'host_port_min wins over ssh_host_port_min', { type: 'virtualbox-vm', ssh_host_port_min: 1234, host_port_min: 4321 }, { type: 'virtualbox-vm', host_port_min: 4321 }),
  builder('comm-config', 'host_port_max is kept', { type: 'virtualbox-iso', host_port_max: 4444 }, { type: 'virtualbox-iso', host_port_max: 4444 }),
  builder('comm-config', 'ssh_host_port_max becomes host_port_max', { type: 'virtualbox-iso', ssh_host_port_max: 4444 }, { type: 'virtualbox-iso', host_port_max: 4444 }),
  builder('comm-config', 'host_port_max wins over ssh_host_port_max', { type: 'virtualbox-vm', ssh_host_port_max: 1234, host_port_max: 4321 }, { type: 'virtualbox-vm', host_port_max: 4321 }),
  builder('comm-config', 'skip_nat_mapping is kept', { type: 'virtualbox-vm', skip_nat_mapping: true }, { type: 'virtualbox-vm', skip_nat_mapping: true }),
  builder('comm-config', 'ssh_skip_nat_mapping becomes skip_nat_mapping', { type: 'virtualbox-vm', ssh_skip_nat_mapping: true }, { type: 'virtualbox-vm', skip_nat_mapping: true }),
  builder('comm-config', 'skip_nat_mapping wins over ssh_skip_nat_mapping', { type: 'virtualbox-iso', ssh_skip_nat_mapping: false, skip_nat_mapping: true }, { type: 'virtualbox-iso', skip_nat_mapping: true }),
  builder('ssh-wait-timeout', 'ssh_timeout is kept', { ssh_timeout: '1h5m2s' }, { ssh_timeout: '1h5m2s' }),
  builder('ssh-wait-timeout', 'ssh_wait_timeout becomes ssh_timeout', { ssh_wait_timeout: '1h5m2s' }, { ssh_timeout: '1h5m2s' }),
  builder('ssh-wait-timeout', 'ssh_timeout wins over ssh_wait_timeout', { ssh_timeout: '1h5m2s', ssh_wait_timeout: '30m' }, { ssh_timeout: '1h5m2s' }),
  builder('vsphere-iso-net-disk', 'networkCard and disk_size move into lists',
    { type: 'vsphere-iso', network: '', networkCard: 'vmxnet3', disk_size: 5000 },
    { type: 'vsphere-iso', network_adapters: [{ network: '', network_card: 'vmxnet3' }], storage: [{ disk_size: 5000 }] }),
  builder('vsphere-iso-net-disk', 'network_card moves too',
    { type: 'vsphere-iso', network: '', network_card: 'vmxnet3', disk_size: 5000 },
    { type: 'vsphere-iso', network_adapters: [{ network: '', network_card: 'vmxnet3' }], storage: [{ disk_size: 5000 }] }),
  builder('vsphere-iso-net-disk', 'all the disk options move',
    { type: 'vsphere-iso', network: 'myNetwork', networkCard: 'vmxnet3', disk_size: 5000, disk_thin_provisioned: true, disk_eagerly_scrub: true },
    { type: 'vsphere-iso', network_adapters: [{ network: 'myNetwork', network_card: 'vmxnet3' }], storage: [{ disk_size: 5000, disk_thin_provisioned: true, disk_eagerly_scrub: true }] }),
  builder('vsphere-iso-net-disk', 'the moved adapter and disk come before existing ones',
    { type: 'vsphere-iso', network: 'myNetwork', networkCard: 'vmxnet3', disk_size: 5000, network_adapters: [{ network: 'net1', network_card: 'vmxnet3' }], storage: [{ disk_size: 5001 }] },
    { type: 'vsphere-iso', network_adapters: [{ network: 'myNetwork', network_card: 'vmxnet3' }, { network: 'net1', network_card: 'vmxnet3' }], storage: [{ disk_size: 5000 }, { disk_size: 5001 }] }),
  builder('iso-checksum-type-and-url', 'a checksum URL wins and drops the type', { type: 'foo', iso_checksum_url: 'bar', iso_checksum_type: 'ignored' }, { type: 'foo', iso_checksum: 'file:bar' }),
  builder('iso-checksum-type-and-url', 'the type prefixes the checksum', { type: 'foo', iso_checksum: 'checksum', iso_checksum_type: 'md5' }, { type: 'foo', iso_checksum: 'md5:checksum' }),
  builder('iso-checksum-type-and-url', 'a URL replaces a checksum', { type: 'foo', iso_checksum: 'checksum', iso_checksum_url: 'path/to/checksumfile' }, { type: 'foo', iso_checksum: 'file:path/to/checksumfile' }),
  builder('qemu-host-port', 'ssh_host_port_min becomes host_port_min', { type: 'qemu', ssh_host_port_min: 2222 }, { type: 'qemu', host_port_min: 2222 }),
  builder('qemu-host-port', 'ssh_host_port_max becomes host_port_max', { type: 'qemu', ssh_host_port_max: 4444 }, { type: 'qemu', host_port_max: 4444 }),
  builder('azure-exclude_from_latest', 'no destination: unchanged', { type: 'azure-chroot' }, { type: 'azure-chroot' }),
  builder('azure-exclude_from_latest', 'the misspelled option is corrected', { type: 'azure-chroot', shared_image_destination: { exlude_from_latest: 'false' } }, { type: 'azure-chroot', shared_image_destination: { exclude_from_latest: 'false' } }),
  builder('proxmox-type', 'proxmox becomes proxmox-iso', { type: 'proxmox' }, { type: 'proxmox-iso' }),
  builder('proxmox-type', 'proxmox-iso is kept', { type: 'proxmox-iso' }, { type: 'proxmox-iso' }),
  builder('proxmox-type', 'proxmox-clone is kept', { type: 'proxmox-clone' }, { type: 'proxmox-clone' }),
];

/**
 * Templates for the differential test beyond the cases: shapes that exercise how the
 * fixers read templates (absent or null lists, case variants of keys, lists given as
 * single values, chains, odd values, escaping and numbers in the output).
 */
export const EDGE_TEMPLATES: readonly Obj[] = [
  {},
  { variables: { a: 'b' } },
  { builders: null, provisioners: null, 'post-processors': null },
  { builders: [] },
  { builders: [null] },
  { Builders: [{ type: 'vmware' }] },
  { Builders: [{ type: 'vmware' }], builders: [{ type: 'virtualbox' }] },
  { builders: [{ type: 'null' }], Provisioners: [{ type: 'shell', inline: ['x'] }] },
  { builders: [{ type: 'null' }], provisioners: { type: 'shell' } },
  { builders: [{ type: 'null' }], provisioners: {} },
  { builders: [{ type: 'null' }], provisioners: 'shell' },
  { builders: [{ type: 'null' }], provisioners: [null, 'x', 1, [{ type: 'powershell' }]] },
  { builders: [{ type: 'null' }], 'post-processors': { type: 'manifest' } },
  { builders: [{ type: 'null' }], 'post-processors': 'compress' },
  { builders: [{ type: 'null' }], 'post-processors': ['compress', ['checksum', { type: 'manifest', filename: 'f' }]] },
  { builders: ['x'] },
  { builders: [{ type: 'null' }, 3] },
  { builders: { type: 'null' } },
  { builders: [{ type: 'null', n: 1e21, m: 1e-7, big: 12345678901234567000, f: 0.1, neg: -3, z: 0 }] },
  { builders: [{ type: 'null', s: '<a&b> \u2028 "q" \\ \n\t\r \u0001 é 😀' }] },
  { builders: [{ type: 'null', e: {}, l: [], nested: { a: [1, { b: null }] } }] },
  { builders: [{ type: 'qemu', disk_size: '10G' }, { type: 'qemu', disk_size: 1.5e10 }] },
  { builders: [{ type: 'amazon-ebs', ssh_private_ip: 'F', ssh_interface: 'x' }, { type: 'amazon-ebs', ssh_private_ip: '0' }] },
  { builders: [{ type: 'vmware-iso', remote_type: 'esx5', disk_type_id: 3 }, { type: 'vmware-iso', remote_type: 'esx5', skip_compaction: 'yes' }] },
  { builders: [{ type: 'virtualbox', iso_md5: 'abc', iso_checksum_type: 'sha1', guest_additions_attach: true, ssh_host_port_min: 1, ssh_skip_nat_mapping: 'no', ssh_wait_timeout: 5 }] },
  { builders: [{ type: 'azure-chroot-x', shared_image_destination: 'not-a-map' }, { type: 'hyperv-vmcx', cpu: null }] },
  { builders: [{ type: 'null' }], provisioners: [{ type: 'powershell', environment_vars: 'A=`$b' }, { type: 'powershell', environment_vars: [1] }, { type: 'ansible-local', galaxycommand: 3 }] },
  { builders: [{ type: 'null' }], provisioners: [{ type: 'shell', override: { virtualbox: { a: 1 } } }, { type: 'shell', override: null }, { type: 'shell', override: [] }] },
  { builders: [{ type: 'null' }], 'post-processors': [{ type: 'docker-tag', tag: 5, tags: 'x,x' }, { type: 'vagrant', virtualbox: 1, digitalocean: null }] },
  { builders: [{ type: 'null' }], 'post-processors': [[{ type: 'manifest', filename: 7 }], []] },
  { builders: [{ type: 'null', name: 'a' }], provisioners: [{ type: 'shell', only: ['b'] }] },
  { min_packer_version: '1.0', description: 'd', builders: [{ type: 'null' }], unknown_key: 1, _comment: 'c' },
];
