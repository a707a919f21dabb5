/**
 * Packer's boot command language (packer-plugin-sdk `bootcommand`): text typed
 * character by character, special keys in angle brackets (`<enter>`, `<f2>`), modifier
 * holds (`<leftShiftOn>` ... `<leftShiftOff>`) and pauses (`<wait>`, `<wait5>`,
 * `<wait1m30s>`). Names are case-insensitive; a bracketed word that is not a key or a
 * wait is typed literally, as Packer does.
 */
import { parseDuration } from '../duration.js';

/** The special keys Packer's language names, in the user's spelling (lower-cased). */
export const SPECIAL_KEYS = [
  'bs', 'del', 'enter', 'esc', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'f11', 'f12',
  'return', 'tab', 'up', 'down', 'left', 'right', 'spacebar', 'insert', 'home', 'end', 'pageup', 'pagedown',
  'leftalt', 'leftctrl', 'leftshift', 'rightalt', 'rightctrl', 'rightshift', 'leftsuper', 'rightsuper', 'menu',
] as const;
export type SpecialKey = (typeof SPECIAL_KEYS)[number];

/**
 * One thing to do: type a character (with a press and a release), press or hold or
 * release a special key, or pause.
 */
export type BootAction =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'key'; readonly key: SpecialKey; readonly action: 'press' | 'on' | 'off' }
  | { readonly kind: 'wait'; readonly ms: number };

const SPECIAL = new Set<string>(SPECIAL_KEYS);
const TOKEN = /<(wait)([^>]*)>|<([a-zA-Z0-9]+)>/y;

/** Parses a boot command; a malformed `<waitX>` is an error message, never a throw. */
export function parseBootCommand(text: string): { kind: 'ok'; actions: BootAction[] } | { kind: 'error'; message: string } {
  const actions: BootAction[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '<') {
      TOKEN.lastIndex = i;
      const m = TOKEN.exec(text);
      if (m) {
        if (m[1] !== undefined) {
          const arg = m[2] ?? '';
          const ms = waitMs(arg);
          if (ms === undefined) return { kind: 'error', message: `boot_command: ${JSON.stringify(m[0])} is not a valid wait: use <wait>, <wait5> (seconds) or <wait1m30s>` };
          actions.push({ kind: 'wait', ms });
          i += m[0].length;
          continue;
        }
        const key = specialKeyAction((m[3] ?? '').toLowerCase());
        if (key) {
          actions.push(key);
          i += m[0].length;
          continue;
        }
      }
    }
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    actions.push({ kind: 'char', char: ch });
    i += ch.length;
  }
  return { kind: 'ok', actions };
}

/** `enter`, `leftshifton`, `leftshiftoff` → a key action; undefined for other words. */
function specialKeyAction(word: string): BootAction | undefined {
  if (SPECIAL.has(word)) return { kind: 'key', key: word as SpecialKey, action: 'press' };
  for (const [suffix, action] of [['on', 'on'], ['off', 'off']] as const) {
    const name = word.slice(0, -suffix.length);
    if (word.endsWith(suffix) && SPECIAL.has(name)) return { kind: 'key', key: name as SpecialKey, action };
  }
  return undefined;
}

/** `<wait>` is one second; a bare number is seconds; otherwise a Go duration. */
function waitMs(arg: string): number | undefined {
  if (arg === '') return 1000;
  if (/^\d+$/.test(arg)) return Number(arg) * 1000;
  const d = parseDuration(arg);
  return d.kind === 'ok' && d.ms >= 0 ? d.ms : undefined;
}
