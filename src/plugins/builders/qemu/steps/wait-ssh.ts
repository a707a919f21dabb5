/**
 * Waits until the guest's SSH server answers through QEMU's port forward, before the
 * connect step dials. QEMU's user-mode network accepts on the host at once and sends
 * the guest a SYN; until the guest has an address that SYN is lost, and QEMU resends it
 * 6 s later, then every 12 s for 75 s, even after the host side has given up. So every
 * probe made while the guest boots comes back later as a connection the guest's SSH
 * server forks for (on a loaded TCG host, seconds of guest time each: a traced build had
 * 17, several landing during provisioning), and a probe that waits for its resends
 * sees the server up to 12 s late (Packer's single dial).
 *
 * So while the guest boots, kiln asks QEMU (QMP `hostfwd_add`) to forward a spare host
 * port to guest port 1, where nothing listens, and probes that every 250 ms: the first
 * probe the guest refuses says its network is up, and no SSH server forks for those.
 * Meanwhile one SSH probe at a time waits (up to 30 s) for resends. Once the network is
 * up, one SSH probe at a time, a new one 100 ms after each refusal: an accepted probe
 * waits for the banner, however slow the forked server is to send it. Without QMP (the
 * forward refused) the SSH probes are as before: two at a time, each giving up after
 * 1.5 s, doubling up to 6 s.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { communicatorType } from '../../../../sdk/communicator-config.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import type { QemuState } from '../state.js';

const PROBE_EVERY_MS = 250;
const MAX_OPEN_PROBES = 2;
const FIRST_PROBE_TIMEOUT_MS = 1500;
const MAX_PROBE_TIMEOUT_MS = 6000;
const ACCEPTED_PROBE_TIMEOUT_MS = 30_000;
const PROBE_AFTER_REFUSAL_MS = 100;
const MAX_WATCH_PROBES = 4;
const WATCH_PROBE_TIMEOUT_MS = 1000;
/** A guest port nothing listens on (tcpmux): a probe there is refused once the guest has its address. */
const CLOSED_GUEST_PORT = 1;
/** The user-mode netdev the builder's command line creates (qemu-args.ts). */
const NETDEV = 'user.0';

/** How a probe ended: the server's banner came, the connection closed, or time ran out. */
export type ProbeOutcome = 'banner' | 'closed' | 'timeout';

/**
 * Connects to host:port and waits up to `timeoutMs` for an SSH banner. With `keep`, a
 * probe that saw the banner is offered to it, paused, with the bytes read put back;
 * when `keep` takes it (returns true) the probe does not close it.
 */
export function probeSshBanner(host: string, port: number, timeoutMs: number, signal?: AbortSignal, keep?: (sock: net.Socket) => boolean): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const got: Buffer[] = [];
    const done = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (outcome === 'banner' && keep) {
        sock.removeAllListeners('data').removeAllListeners('error').removeAllListeners('close');
        sock.pause();
        sock.unshift(Buffer.concat(got));
        if (keep(sock)) return resolve(outcome);
      }
      sock.destroy();
      resolve(outcome);
    };
    const onAbort = () => done('closed');
    signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    sock.on('data', (d: Buffer) => {
      got.push(d);
      const text = Buffer.concat(got).toString('latin1');
      if (text.startsWith('SSH-') || text.includes('\nSSH-')) done('banner');
    });
    sock.on('error', () => done('closed'));
    sock.on('close', () => done('closed'));
  });
}

/** A host port QEMU forwards to a closed guest port, and how to remove the rule. */
interface ClosedPortForward {
  readonly port: number;
  remove(): Promise<void>;
}

/** A port free on 127.0.0.1 a moment ago. */
function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Adds the forward to guest port 1 through QMP; undefined when QEMU refuses it (another netdev, no QMP). */
async function forwardClosedPort(state: QemuState): Promise<ClosedPortForward | undefined> {
  const vm = state.vm;
  if (!vm) return undefined;
  const hmp = (line: string) => vm.qmp('human-monitor-command', { 'command-line': line });
  try {
    const port = await ephemeralPort();
    const out = await hmp(`hostfwd_add ${NETDEV} tcp:127.0.0.1:${port}-:${CLOSED_GUEST_PORT}`);
    if (typeof out === 'string' && out.trim() !== '') return undefined;
    return { port, remove: () => hmp(`hostfwd_remove ${NETDEV} tcp:127.0.0.1:${port}`).then(() => undefined, () => undefined) };
  } catch {
    return undefined;
  }
}

export function stepWaitForSsh(): Step<QemuState> {
  return {
    name: 'StepWaitGuestSSH',
    async run(state, signal) {
      const c = state.config;
      if (communicatorType(c) !== 'ssh' || state.commHostPort === undefined) return CONTINUE;
      const timeout = c.ssh_timeout ?? c.ssh_wait_timeout ?? 5 * 60_000;
      const deadline = Date.now() + timeout;
      const port = state.commHostPort;
      const watch = await forwardClosedPort(state);
      let ready = false;
      let netUp = false;
      let watching = 0;
      let early = 0;
      let late = 0;
      let probeTimeout = watch ? ACCEPTED_PROBE_TIMEOUT_MS : FIRST_PROBE_TIMEOUT_MS;
      // Ends the probes still open once one has the banner (or the build stops).
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal.addEventListener('abort', onAbort);
      const inFlight: Promise<void>[] = [];
      const remaining = () => Math.max(deadline - Date.now(), 1);
      // The first probe with the banner becomes the SSH connection: no second connection
      // (and no second forked server in a slow guest) to wait for.
      const keep = (sock: net.Socket): boolean => {
        if (ready || state.sshProbeSocket) return false;
        state.sshProbeSocket = sock;
        return true;
      };
      const probeSsh = (ms: number, done: () => void) =>
        probeSshBanner('127.0.0.1', port, Math.min(ms, remaining()), stop.signal, keep).then((outcome) => {
          done();
          if (outcome === 'banner') {
            ready = true;
            stop.abort();
          } else if (outcome === 'timeout') probeTimeout = Math.max(probeTimeout, Math.min(probeTimeout * 2, MAX_PROBE_TIMEOUT_MS));
          else if (!stop.signal.aborted) netUp = true;
        });
      while (!ready && Date.now() < deadline && !signal.aborted) {
        if (state.vm && !state.vm.running) {
          stop.abort();
          signal.removeEventListener('abort', onAbort);
          await watch?.remove();
          return halt(`The VM stopped before SSH became available: ${state.vm.stderr().trim() || 'QEMU exited'}`);
        }
        if (watch && !netUp && watching < MAX_WATCH_PROBES) {
          watching++;
          inFlight.push(
            probeSshBanner('127.0.0.1', watch.port, Math.min(WATCH_PROBE_TIMEOUT_MS, remaining()), stop.signal).then((outcome) => {
              watching--;
              if (outcome === 'closed' && !stop.signal.aborted) netUp = true;
            }),
          );
        }
        if (netUp) {
          // The guest answers at once now: a refused probe ends quickly, an accepted one has a server coming.
          if (late < 1) {
            late++;
            inFlight.push(probeSsh(ACCEPTED_PROBE_TIMEOUT_MS, () => late--));
          }
        } else if (early < (watch ? 1 : MAX_OPEN_PROBES)) {
          early++;
          inFlight.push(probeSsh(probeTimeout, () => early--));
        }
        await delay(netUp ? PROBE_AFTER_REFUSAL_MS : PROBE_EVERY_MS, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      await Promise.allSettled(inFlight);
      await watch?.remove();
      if (signal.aborted) return halt('Build was cancelled.');
      // On timeout the connect step still dials, and reports Packer's own timeout.
      return CONTINUE;
    },
    async cleanup(state) {
      state.sshProbeSocket?.destroy();
      state.sshProbeSocket = undefined;
    },
  };
}
