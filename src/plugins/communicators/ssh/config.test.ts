import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveSshConfig } from '../../../sdk/ssh/config.js';
import { shellQuote } from '../../../support/shell-quote.js';
import { isExcluded, splitRemoteDir } from './transfer-paths.js';
import { parseTunnel } from '../../../sdk/ssh/tunnel-spec.js';

const summaries = (input: Parameters<typeof resolveSshConfig>[0]) => resolveSshConfig(input).diagnostics.map((d) => d.summary);

test("Packer's defaults", () => {
  const { config, diagnostics } = resolveSshConfig({ ssh_host: 'h', ssh_username: 'u', ssh_password: 'p' });
  assert.deepEqual(diagnostics, []);
  assert.equal(config.ssh_port, 22);
  assert.equal(config.ssh_timeout_ms, 300_000);
  assert.equal(config.ssh_handshake_attempts, 10);
  assert.equal(config.ssh_keep_alive_interval_ms, 5000);
  assert.equal(config.ssh_read_write_timeout_ms, 0);
  assert.equal(config.pause_before_connecting_ms, 0);
  assert.equal(config.ssh_file_transfer_method, 'scp');
  assert.equal(config.ssh_pty, false);
  assert.equal(config.temporary_key_pair_type, 'rsa');
  assert.equal(config.temporary_key_pair_bits, 4096);
  assert.equal(config.bastion, undefined);
  assert.equal(config.proxy, undefined);
});

test('ssh_timeout and ssh_handshake_attempts: setting one leaves the other unlimited, as in Packer', () => {
  const a = resolveSshConfig({ ssh_username: 'u', ssh_timeout: 3_630_000 }).config;
  assert.equal(a.ssh_timeout_ms, 3_630_000);
  assert.equal(a.ssh_handshake_attempts, 0);
  const b = resolveSshConfig({ ssh_username: 'u', ssh_handshake_attempts: 3 }).config;
  assert.equal(b.ssh_timeout_ms, 0);
  assert.equal(b.ssh_handshake_attempts, 3);
  assert.equal(resolveSshConfig({ ssh_username: 'u', ssh_wait_timeout: 120_000 }).config.ssh_timeout_ms, 120_000);
});

test('durations, bastion and proxy defaults', () => {
  const { config, diagnostics } = resolveSshConfig({
    ssh_username: 'u',
    ssh_keep_alive_interval: -1000,
    ssh_read_write_timeout: 500,
    pause_before_connecting: 10_000,
    ssh_bastion_host: 'b',
    ssh_bastion_password: 'x',
  });
  assert.deepEqual(diagnostics, []);
  assert.equal(config.ssh_keep_alive_interval_ms, -1000);
  assert.equal(config.ssh_read_write_timeout_ms, 500);
  assert.equal(config.pause_before_connecting_ms, 10_000);
  assert.equal(config.bastion?.port, 22);
  assert.equal(resolveSshConfig({ ssh_username: 'u', ssh_proxy_host: 'p' }).config.proxy?.port, 1080);
});

test('mistakes become diagnostics', () => {
  assert.deepEqual(summaries({}), ['An ssh_username must be specified']);
  assert.deepEqual(summaries({ ssh_username: 'u', ssh_file_transfer_method: 'rsync' }), ["ssh_file_transfer_method ('rsync') is invalid, valid methods: sftp, scp"]);
  assert.deepEqual(summaries({ ssh_username: 'u', ssh_bastion_host: 'b' }), ['ssh_bastion_password, ssh_bastion_private_key_file or ssh_bastion_agent_auth must be specified']);
  assert.deepEqual(summaries({ ssh_username: 'u', ssh_bastion_host: 'b', ssh_bastion_password: 'x', ssh_proxy_host: 'p' }), [
    'please specify either ssh_bastion_host or ssh_proxy_host, not both',
  ]);
  assert.deepEqual(summaries({ ssh_username: 'u', ssh_ciphers: ['aes128-ctr', 'rot13'] }), ['Unsupported ssh_ciphers: rot13']);
  assert.deepEqual(summaries({ ssh_username: 'u', ssh_local_tunnels: ['80'] }), ["ssh_local_tunnels ('80') is invalid"]);
  assert.deepEqual(summaries({ ssh_username: 'u', temporary_key_pair_type: 'dsa' }), ["temporary_key_pair_type 'dsa' is not supported"]);
  assert.deepEqual(summaries({ ssh_username: 'u', ssh_private_key_file: '/nonexistent/key' }), ['ssh_private_key_file is invalid']);
  const certs = summaries({ ssh_username: 'u', ssh_certificate_file: 'c' });
  assert.deepEqual(certs, ['ssh_private_key_file must be specified if ssh_certificate_file is specified', 'ssh_certificate_file is invalid']);
});

test('a key file that is not a key is reported', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-key-'));
  try {
    writeFileSync(path.join(dir, 'bad'), 'not a key');
    assert.deepEqual(summaries({ ssh_username: 'u', ssh_private_key_file: path.join(dir, 'bad') }), ['ssh_private_key_file is invalid']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tunnel specs', () => {
  assert.deepEqual(parseTunnel('8080:localhost:3000', 'local'), { kind: 'ok', tunnel: { direction: 'local', listenPort: 8080, forwardHost: 'localhost', forwardPort: 3000 } });
  assert.deepEqual(parseTunnel('9090:[::1]:80', 'remote'), { kind: 'ok', tunnel: { direction: 'remote', listenPort: 9090, forwardHost: '::1', forwardPort: 80 } });
  assert.equal(parseTunnel('x:localhost:80', 'local').kind, 'error');
  assert.equal(parseTunnel('80:localhost', 'local').kind, 'error');
});

test('remote path helpers', () => {
  assert.equal(shellQuote('/tmp/a b'), `'/tmp/a b'`);
  assert.equal(shellQuote("/tmp/it's"), `'/tmp/it'\\''s'`);
  assert.equal(shellQuote('~/x y'), `~/'x y'`);
  assert.equal(shellQuote('/plain/path-1.txt'), '/plain/path-1.txt');
  assert.deepEqual(splitRemoteDir('/a/b/'), { dir: '/a', name: 'b', nestable: true });
  assert.equal(splitRemoteDir('/').nestable, false);
  assert.equal(splitRemoteDir('.').nestable, false);
  assert.ok(isExcluded('skip/x.txt', ['skip']));
  assert.ok(isExcluded('a.txt', ['./a.txt']));
  assert.ok(!isExcluded('skipped', ['skip']));
});
