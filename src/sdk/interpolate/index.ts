/** Packer's legacy template engine (Go `text/template` + Packer's functions). */
export { render, renderExcluding, renderRepeatedly, secretCallsIn, validate } from './render.js';
export type { RenderResult, SecretCall } from './render.js';
export { renderConfigValue } from './render-config.js';
export type { RenderConfigResult } from './render-config.js';
export { INIT_TIME, PLACEHOLDER_MSG } from './context.js';
export type { InterpolateContext, SecretFunctions, SecretResult } from './context.js';
export { ERR_VARIABLE_NOT_SET, goReplace, packerFuncs, timeOrderedUuid } from './packer-funcs.js';
export { FuncError, stringFunc } from './func.js';
export type { ParamType, TemplateFunc } from './func.js';
export { cleanAmazonName, cleanAzureName, cleanGoogleName, cleanResourceNameFunc } from './clean-resource-name.js';
export { goTimeFormat, RFC3339, strftime } from './go-time.js';
export type { ZonedTime } from './go-time.js';
export { sprintf, sprint, sprintln, formatValue } from './go-fmt.js';
export { parseTemplate } from './parser.js';
