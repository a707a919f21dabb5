export { NoneCommunicator } from './none-communicator.js';
