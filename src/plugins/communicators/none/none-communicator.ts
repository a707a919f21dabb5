/**
 * The `none` communicator. It lives in the SDK's common steps (the connect step hands
 * it out for `communicator = "none"`); this folder is its plugin-side name.
 */
export { NoneCommunicator } from '../../../sdk/steps/none-communicator.js';
