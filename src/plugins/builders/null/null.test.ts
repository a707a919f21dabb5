/**
 * The null builder end to end: connect step, provision step and real provisioners,
 * with a hand-made provision hook (core's own cannot be imported from plugins) that
 * runs provisioner definitions in order as core does. SSH runs against a real sshd.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTestUser, freePort, startSshd } from '../../../../test/support/sshd.js';
import type { TestServer, TestUser } from '../../../../test/support/sshd.js';
import type { Communicator } from '../../../sdk/communicator.js';
import type { CommunicatorConfig } from '../../../sdk/communicator-config.js';
import type { BuildContext, GeneratedData, PackerConfig, ProvisionerDefinition, ProvisionHook } from '../../../sdk/component.js';
import { communicatorLookup } from '../../../sdk/component.js';
import { builtinRegistry } from '../../registry.js';
import type { Result } from '../../../sdk/result.js';
import { prepareMessages } from '../../../sdk/prepare-component.js';
import { ok } from '../../../sdk/result.js';
import { WINRM_UNAVAILABLE } from '../../../sdk/steps/index.js';
import type { Ui } from '../../../sdk/ui.js';
import { builtin, packerConfig, prepareAndProvision, recordingUi } from '../../provisioners/test-helpers.js';
import type { RecordingUi } from '../../provisioners/test-helpers.js';
import nullBuilder from './index.js';

const shell = await builtin('provisioner', 'shell');
const shellLocal = await builtin('provisioner', 'shell-local');

interface Planned {
  readonly definition: ProvisionerDefinition;
  readonly config: Record<string, unknown>;
}

interface HookLog {
  readonly calls: { name: string; comm: string; data: GeneratedData }[];
}

/** Runs `provisioners` (and `cleanup` for packer_cleanup_provision) like core's hook, recording each call. */
function hook(provisioners: Planned[], cleanup: Planned[] = [], packer: PackerConfig = packerConfig()): ProvisionHook & HookLog {
  const calls: HookLog['calls'] = [];
  return {
    calls,
    async run(name, ui: Ui, comm: Communicator, data, signal): Promise<Result<void>> {
      calls.push({ name, comm: comm.type, data });
      for (const p of name === 'packer_provision' ? provisioners : cleanup) {
        const res = await prepareAndProvision(p.definition, p.config, { ui, signal, communicator: comm, generatedData: data, packer });
        if (res.kind === 'error') return res;
      }
      return ok(undefined);
    },
  };
}

const planned = (definition: ProvisionerDefinition, config: Record<string, unknown>): Planned => ({ definition, config });

async function build(config: CommunicatorConfig, h: ProvisionHook, opts: { signal?: AbortSignal } = {}): Promise<{ res: Awaited<ReturnType<typeof nullBuilder.run>>; ui: RecordingUi }> {
  const ui = recordingUi();
  const ctx: BuildContext = { ui, signal: opts.signal ?? new AbortController().signal, hook: h, packer: packerConfig(), communicators: communicatorLookup(builtinRegistry()) };
  return { res: await nullBuilder.run(config, ctx), ui };
}

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-null-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('null builder, communicator none', () => {
  it('runs shell-local provisioners through the hook and returns the null artifact', async () => {
    const marker = path.join(dir, 'local-marker');
    const h = hook([planned(shellLocal, { inline: [`echo "{{ .ID }}" > ${marker}`] })]);
    const { res, ui } = await build({ communicator: 'none' }, h);
    assert.equal(res.kind, 'ok');
    const artifact = res.kind === 'ok' ? res.value : undefined;
    assert.equal(artifact?.builderId, 'fnoeding.null');
    assert.equal(artifact?.id, 'Null');
    assert.deepEqual(artifact?.files, []);
    assert.equal(artifact?.describe(), 'Did not export anything. This is the null builder');
    assert.deepEqual(artifact?.state('generated_data'), { ID: 'Null' });
    assert.equal(readFileSync(marker, 'utf8'), 'Null\n');
    assert.deepEqual(h.calls.map((c) => [c.name, c.comm]), [['packer_provision', 'none']]);
    const data = h.calls[0]?.data ?? {};
    assert.equal(data['ID'], 'Null');
    assert.equal(data['PackerHTTPAddr'], 'ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER');
    assert.equal(data['Host'], undefined, 'no communicator config with none');
    assert.ok(!ui.lines.some((l) => l.includes('communicator to connect')));
  });
  it('fails the shell provisioner with the none communicator\'s upload error', async () => {
    const h = hook([planned(shell, { inline: ['true'], start_retry_timeout: 1 })]);
    const { res } = await build({ communicator: 'none' }, h);
    assert.equal(res.kind === 'error' && res.error.message, "Error uploading script: Upload is not implemented when communicator = 'none'");
  });
  it('runs the cleanup provisioner after a provisioning failure, and combines a cleanup failure', async () => {
    const cleanupMarker = path.join(dir, 'cleanup-marker');
    const h = hook([planned(shellLocal, { inline: ['exit 2'] })], [planned(shellLocal, { inline: [`touch ${cleanupMarker}`] })]);
    const first = await build({ communicator: 'none' }, h);
    assert.equal(first.res.kind === 'error' && first.res.error.message, 'Script exited with non-zero exit status: 2. Allowed exit codes are: [0]');
    assert.ok(first.ui.lines.includes('say Provisioning step had errors: Running the cleanup provisioner, if present...'));
    assert.ok(existsSync(cleanupMarker));
    assert.deepEqual(h.calls.map((c) => c.name), ['packer_provision', 'packer_cleanup_provision']);
    const h2 = hook([planned(shellLocal, { inline: ['exit 2'] })], [planned(shellLocal, { inline: ['exit 3'] })]);
    const second = await build({ communicator: 'none' }, h2);
    assert.equal(
      second.res.kind === 'error' && second.res.error.message,
      'Cleanup failed: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]. Original Provisioning error: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]',
    );
  });
  it('says winrm is not available yet', async () => {
    const { res } = await build({ communicator: 'winrm', winrm_host: 'h', winrm_username: 'u', winrm_password: 'p' }, hook([]));
    assert.equal(res.kind === 'error' && res.error.message, WINRM_UNAVAILABLE);
  });
  it("checks the options at prepare with Packer's messages", async () => {
    const ctx = { packer: packerConfig(), signal: new AbortController().signal };
    const errors = async (c: CommunicatorConfig) => prepareMessages(await nullBuilder.prepare!(c, ctx)).errors;
    assert.deepEqual(await errors({ communicator: 'none' }), []);
    assert.deepEqual(await errors({ communicator: 'carrier-pigeon' }), ['Communicator type carrier-pigeon is invalid', 'a Host must be specified, please reference your communicator documentation', 'a Username must be specified, please reference your communicator documentation', 'one authentication method must be specified, please reference your communicator documentation']);
    assert.deepEqual(await errors({}), [
      'An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".',
      'a Host must be specified, please reference your communicator documentation',
      'a Username must be specified, please reference your communicator documentation',
      'one authentication method must be specified, please reference your communicator documentation',
    ]);
    assert.deepEqual(await errors({ ssh_host: 'h', ssh_username: 'u', ssh_password: 'p', ssh_agent_auth: true }), ['only one of ssh_agent_auth, ssh_password, and ssh_private_key_file must be specified']);
    assert.deepEqual(await errors({ communicator: 'winrm', winrm_host: 'h', winrm_password: 'p' }), ['winrm_username must be specified.', 'a Username must be specified, please reference your communicator documentation']);
  });
});

describe('null builder over SSH (real sshd)', () => {
  let user: TestUser;
  let server: TestServer;
  before(async () => {
    user = ensureTestUser();
    server = await startSshd();
    await server.ready;
  });
  after(async () => {
    await server?.stop();
  });
  const ssh = (extra: CommunicatorConfig = {}): CommunicatorConfig => ({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_password: user.password, ...extra });

  it('connects, runs the shell provisioner on the machine and gives the hook the connection data', async () => {
    const remoteFile = path.join(user.home, 'null-builder-was-here');
    rmSync(remoteFile, { force: true });
    const h = hook([planned(shell, { inline: [`echo "$(whoami) {{ .User }}@{{ .Host }}:{{ .Port }}" > ${remoteFile}`, 'echo done'] })]);
    const { res, ui } = await build(ssh(), h);
    assert.equal(res.kind, 'ok', res.kind === 'error' ? res.error.message : '');
    assert.deepEqual(ui.lines.slice(0, 3), [`say Using SSH communicator to connect: ${server.host}`, 'say Waiting for SSH to become available...', 'say Connected to SSH!']);
    assert.ok(ui.lines.includes('say done'));
    assert.equal(readFileSync(remoteFile, 'utf8'), `${user.name} ${user.name}@${server.host}:${server.port}\n`);
    const data = h.calls[0]?.data ?? {};
    assert.deepEqual(
      [data['Host'], data['Port'], data['User'], data['Password'], data['ConnType'], data['SSHAgentAuth']],
      [server.host, server.port, user.name, user.password, 'ssh', false],
    );
  });
  it('connects twice around pause_before_connecting', async () => {
    const { res, ui } = await build(ssh({ pause_before_connecting: 100 }), hook([]));
    assert.equal(res.kind, 'ok');
    assert.deepEqual(ui.said().slice(0, 6), [
      `Using SSH communicator to connect: ${server.host}`,
      'Waiting for SSH to become available...',
      'Connected to SSH!',
      'Pausing 100ms before connecting...',
      'Waiting for SSH to become available...',
      'Connected to SSH!',
    ]);
  });
  it('times out with Packer\'s message when nothing answers', async () => {
    const port = await freePort();
    const { res, ui } = await build(ssh({ ssh_port: port, ssh_timeout: 1500 }), hook([]));
    assert.equal(res.kind === 'error' && res.error.message, 'Timeout waiting for SSH.');
    assert.ok(ui.lines.includes('error Timeout waiting for SSH.'));
  });
  it('expect_disconnect: a script whose connection drops (a reboot) succeeds, or fails without it', async () => {
    const reboot = (): void => {
      setTimeout(() => server.kill(), 700);
      setTimeout(() => void server.restart(), 1200);
    };
    reboot();
    const expected = await build(ssh(), hook([planned(shell, { inline: ['sleep 20'], expect_disconnect: true })]));
    assert.equal(expected.res.kind, 'ok', expected.res.kind === 'error' ? expected.res.error.message : '');
    reboot();
    const unexpected = await build(ssh(), hook([planned(shell, { inline: ['sleep 20'] })]));
    assert.match(unexpected.res.kind === 'error' ? unexpected.res.error.message : '', /^Script disconnected unexpectedly\./);
  });
});
