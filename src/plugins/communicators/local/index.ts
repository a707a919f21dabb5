export { LocalCommunicator } from './local-communicator.js';
export type { LocalCommunicatorOptions } from './local-communicator.js';
