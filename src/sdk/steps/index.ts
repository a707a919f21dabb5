/**
 * Common steps builders are made of (Packer's `communicator.StepConnect`,
 * `commonsteps.StepProvision`), over a typed state every builder extends.
 */
export type { CommonState } from './common-state.js';
export { stepConnect, WINRM_UNAVAILABLE } from './connect.js';
export type { ConnectExtras, ConnectOptions } from './connect.js';
export { stepProvision, provisionHookData } from './provision.js';
