/** Packer's boot command: parse it, then type it through a VNC or QMP key driver. */
export { parseBootCommand, SPECIAL_KEYS } from './parse.js';
export type { BootAction, SpecialKey } from './parse.js';
export { typeBootCommand, charKey, specialKey } from './type.js';
export type { Key, KeyDriver, TypeOptions } from './type.js';
export { needsShift, charKeysym, charQcode } from './keys.js';
