/** HCL's dynamic blocks extension (ext/dynblock). */
export { expandDynamicBlocks } from './expand.js';
