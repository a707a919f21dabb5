/**
 * A small QMP client: one connection per command (greeting, `qmp_capabilities`, the
 * command), which is all the builder needs and keeps no socket open while the VM runs.
 */
import net from 'node:net';

const TIMEOUT_MS = 10_000;

/** Runs `command` on the QMP socket and resolves with its `return` value. */
export function qmpCall(socketPath: string, command: string, args?: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffered = '';
    let step: 'greeting' | 'capabilities' | 'command' = 'greeting';
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      fn();
    };
    socket.setTimeout(TIMEOUT_MS, () => settle(() => reject(new Error(`QMP ${command}: timed out`))));
    socket.on('error', (err) => settle(() => reject(err)));
    socket.on('close', () => settle(() => (step === 'command' && command === 'quit' ? resolve(undefined) : reject(new Error(`QMP ${command}: connection closed`)))));
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line === '') continue;
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if ('event' in message) continue;
        if ('error' in message) return settle(() => reject(new Error(`QMP ${command}: ${JSON.stringify(message['error'])}`)));
        if (step === 'greeting') {
          step = 'capabilities';
          socket.write(JSON.stringify({ execute: 'qmp_capabilities' }) + '\n');
        } else if (step === 'capabilities') {
          step = 'command';
          socket.write(JSON.stringify(args === undefined ? { execute: command } : { execute: command, arguments: args }) + '\n');
        } else {
          return settle(() => resolve(message['return']));
        }
      }
    });
  });
}
