/**
 * Key codes for the two ways kiln types into a VM: X11 keysyms for VNC key events, and
 * QEMU's `QKeyCode` names for QMP `send-key`. Characters that need Shift on a US
 * keyboard are typed with Shift held, as Packer's VNC driver does.
 */
import type { SpecialKey } from './parse.js';

/** X11 keysyms of the special keys. */
export const SPECIAL_KEYSYM: Readonly<Record<SpecialKey, number>> = {
  bs: 0xff08, del: 0xffff, enter: 0xff0d, return: 0xff0d, esc: 0xff1b, tab: 0xff09,
  f1: 0xffbe, f2: 0xffbf, f3: 0xffc0, f4: 0xffc1, f5: 0xffc2, f6: 0xffc3, f7: 0xffc4, f8: 0xffc5, f9: 0xffc6, f10: 0xffc7, f11: 0xffc8, f12: 0xffc9,
  up: 0xff52, down: 0xff54, left: 0xff51, right: 0xff53, spacebar: 0x20, insert: 0xff63, home: 0xff50, end: 0xff57,
  pageup: 0xff55, pagedown: 0xff56, leftalt: 0xffe9, leftctrl: 0xffe3, leftshift: 0xffe1, rightalt: 0xffea,
  rightctrl: 0xffe4, rightshift: 0xffe2, leftsuper: 0xffeb, rightsuper: 0xffec, menu: 0xff67,
};

/** QEMU QKeyCode names of the special keys. */
export const SPECIAL_QCODE: Readonly<Record<SpecialKey, string>> = {
  bs: 'backspace', del: 'delete', enter: 'ret', return: 'ret', esc: 'esc', tab: 'tab',
  f1: 'f1', f2: 'f2', f3: 'f3', f4: 'f4', f5: 'f5', f6: 'f6', f7: 'f7', f8: 'f8', f9: 'f9', f10: 'f10', f11: 'f11', f12: 'f12',
  up: 'up', down: 'down', left: 'left', right: 'right', spacebar: 'spc', insert: 'insert', home: 'home', end: 'end',
  pageup: 'pgup', pagedown: 'pgdn', leftalt: 'alt', leftctrl: 'ctrl', leftshift: 'shift', rightalt: 'alt_r',
  rightctrl: 'ctrl_r', rightshift: 'shift_r', leftsuper: 'meta_l', rightsuper: 'meta_r', menu: 'menu',
};

const SHIFTED = '~!@#$%^&*()_+{}|:"<>?';
const UNSHIFTED = '`1234567890-=[]\\;\',./';

/** True when typing `ch` on a US layout needs Shift. */
export function needsShift(ch: string): boolean {
  return (ch >= 'A' && ch <= 'Z') || SHIFTED.includes(ch);
}

/**
 * The keysym of a character: Latin-1 maps to itself, other code points to
 * `0x01000000 + cp` (X11's Unicode keysyms); newline and tab to Return and Tab.
 */
export function charKeysym(ch: string): number {
  if (ch === '\n' || ch === '\r') return 0xff0d;
  if (ch === '\t') return 0xff09;
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x100 ? cp : 0x01000000 + cp;
}

const QCODE_PUNCT: Readonly<Record<string, string>> = {
  '`': 'grave_accent', '-': 'minus', '=': 'equal', '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash',
  ';': 'semicolon', "'": 'apostrophe', ',': 'comma', '.': 'dot', '/': 'slash', ' ': 'spc', '\n': 'ret', '\r': 'ret', '\t': 'tab',
};

/** The QKeyCode of a character's key (unshifted), or undefined when no US key types it. */
export function charQcode(ch: string): string | undefined {
  const lower = ch.toLowerCase();
  if (lower >= 'a' && lower <= 'z' && lower.length === 1) return lower;
  if (ch >= '0' && ch <= '9') return ch;
  const shiftedAt = SHIFTED.indexOf(ch);
  const base = shiftedAt >= 0 ? (UNSHIFTED[shiftedAt] ?? '') : ch;
  if (base >= '0' && base <= '9' && base.length === 1) return base;
  return QCODE_PUNCT[base];
}
