/**
 * Types parsed boot command actions through a key driver (VNC or QMP), with Packer's
 * timing: a pause after every key (`boot_key_interval`) and Shift held for the
 * characters that need it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { charKeysym, charQcode, needsShift, SPECIAL_KEYSYM, SPECIAL_QCODE } from './keys.js';
import type { BootAction, SpecialKey } from './parse.js';

/** One key, named both ways; a driver uses the naming it speaks. */
export interface Key {
  readonly keysym: number;
  /** Undefined when the key has no QKeyCode (a non-US character). */
  readonly qcode: string | undefined;
  readonly label: string;
}

/** Sends key transitions to a VM. */
export interface KeyDriver {
  /** Presses (`down`) or releases a key. */
  send(key: Key, down: boolean): Promise<void>;
}

const SHIFT: Key = { keysym: SPECIAL_KEYSYM.leftshift, qcode: SPECIAL_QCODE.leftshift, label: '<leftShift>' };

export function specialKey(k: SpecialKey): Key {
  return { keysym: SPECIAL_KEYSYM[k], qcode: SPECIAL_QCODE[k], label: `<${k}>` };
}

export function charKey(ch: string): Key {
  return { keysym: charKeysym(ch), qcode: charQcode(ch), label: ch };
}

export interface TypeOptions {
  /** Pause after each key press; Packer's VNC default is 100 ms. */
  readonly keyIntervalMs: number;
  readonly signal: AbortSignal;
}

/** Types `actions`; rejects when the driver fails or `signal` aborts. */
export async function typeBootCommand(actions: readonly BootAction[], driver: KeyDriver, opts: TypeOptions): Promise<void> {
  const pause = (ms: number) => (ms > 0 ? delay(ms, undefined, { signal: opts.signal }) : Promise.resolve());
  for (const a of actions) {
    opts.signal.throwIfAborted();
    switch (a.kind) {
      case 'wait':
        await pause(a.ms);
        break;
      case 'key': {
        const key = specialKey(a.key);
        if (a.action !== 'off') await driver.send(key, true);
        if (a.action !== 'on') await driver.send(key, false);
        await pause(opts.keyIntervalMs);
        break;
      }
      case 'char': {
        const key = charKey(a.char);
        const shift = needsShift(a.char);
        if (shift) await driver.send(SHIFT, true);
        await driver.send(key, true);
        await driver.send(key, false);
        if (shift) await driver.send(SHIFT, false);
        await pause(opts.keyIntervalMs);
        break;
      }
      default: {
        const never: never = a;
        throw new Error(`unknown boot action ${JSON.stringify(never)}`);
      }
    }
  }
}
