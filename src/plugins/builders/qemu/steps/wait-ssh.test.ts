/**
 * The wait-for-SSH step against a real TCP server standing in for QEMU's port forward
 * and a slow guest: it first refuses (connections closed at once, as QEMU does while
 * the guest's port is closed), then accepts but sends its banner only 2.5 s later (a
 * forked SSH server on a loaded TCG guest). The step must end once the banner comes,
 * without abandoning and re-opening connections the "guest" has accepted.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { ok } from '../../../../sdk/result.js';
import { packerConfig, recordingUi } from '../../../provisioners/test-helpers.js';
import { resolve } from '../config.js';
import type { QemuConfig } from '../config.js';
import type { QemuState } from '../state.js';
import { probeSshBanner, stepWaitForSsh } from './wait-ssh.js';

interface SlowServer {
  readonly port: number;
  /** Connections accepted while the banner was being held back. */
  accepted: number;
  refused: number;
  close(): Promise<void>;
}

async function slowServer(refuseFirst: number, bannerDelayMs: number): Promise<SlowServer> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const s: { accepted: number; refused: number } = { accepted: 0, refused: 0 };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
    if (s.refused < refuseFirst) {
      s.refused++;
      sock.destroy();
      return;
    }
    s.accepted++;
    const t = setTimeout(() => sock.write('SSH-2.0-slow_guest\r\n'), bannerDelayMs);
    timers.add(t);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get accepted() {
      return s.accepted;
    },
    get refused() {
      return s.refused;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function state(port: number): QemuState {
  const config: QemuConfig = { iso_url: '/base.qcow2', iso_checksum: 'none', disk_image: true, ssh_username: 'root', ssh_password: 'x', ssh_timeout: 60_000 };
  return { ui: recordingUi(), hook: { run: async () => ok(undefined) }, config, r: resolve(config, packerConfig()), diskPaths: [], commHostPort: port };
}

describe('qemu wait-for-SSH step', () => {
  it('waits for a slow banner on accepted connections instead of re-dialling', async () => {
    const server = await slowServer(3, 2500);
    try {
      const result = await stepWaitForSsh().run(state(server.port), new AbortController().signal);
      assert.equal(result.kind, 'continue');
      assert.equal(server.refused, 3);
      // Two probes at most are open at a time, and accepted ones are not given up after
      // 1.5 s: a re-dialling prober would have opened a new connection every 1.5 s.
      assert.ok(server.accepted <= 2, `accepted ${server.accepted} connections`);
    } finally {
      await server.close();
    }
  });

  it('probeSshBanner tells a banner, a closed connection and a silent server apart', async () => {
    const banner = await slowServer(0, 0);
    const refusing = await slowServer(1, 0);
    const silent = await slowServer(0, 60_000);
    try {
      assert.equal(await probeSshBanner('127.0.0.1', banner.port, 5000), 'banner');
      assert.equal(await probeSshBanner('127.0.0.1', refusing.port, 5000), 'closed');
      assert.equal(await probeSshBanner('127.0.0.1', silent.port, 200), 'timeout');
    } finally {
      await Promise.all([banner.close(), refusing.close(), silent.close()]);
    }
  });

  it('hands the probe that saw the banner over, paused, with the banner put back', async () => {
    const server = await slowServer(0, 0);
    let kept: net.Socket | undefined;
    try {
      assert.equal(await probeSshBanner('127.0.0.1', server.port, 5000, undefined, (sock) => ((kept = sock), true)), 'banner');
      assert.ok(kept && !kept.destroyed);
      const first = await new Promise<Buffer>((resolve) => kept?.once('data', resolve).resume());
      assert.equal(first.toString('latin1'), 'SSH-2.0-slow_guest\r\n');
      assert.equal(server.accepted, 1);
    } finally {
      kept?.destroy();
      await server.close();
    }
  });
});
