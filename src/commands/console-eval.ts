/**
 * What one console line evaluates to (Packer's `EvaluateExpression` of
 * `PackerConfig` and of `Core`): `''` is nothing, `exit` ends the session, `help` and
 * `variables` answer with text, anything else is an HCL expression (HCL2 mode) or a Go
 * template (JSON mode).
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import { hasErrors } from '../hcl/diagnostic.js';
import type { SourceFile } from '../hcl/diagnostic-text.js';
import type { EvalContext } from '../hcl/eval-context.js';
import { toExpression } from '../hcl/syntax/eval.js';
import { parseExpression } from '../hcl/syntax/parse.js';
import type { InterpolateContext } from '../sdk/interpolate/context.js';
import { render } from '../sdk/interpolate/render.js';
import type { TemplateDescription } from '../template/load-hcl2-template.js';
import { printVariables } from './inspect-hcl.js';
import { printableValue } from './template-printable.js';

export interface Evaluation {
  readonly out: string;
  readonly exit: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The input as a file, so diagnostics about it can quote it. */
  readonly files: ReadonlyMap<string, SourceFile>;
}

export type Evaluator = (line: string) => Evaluation;

/** The file name diagnostics about console input carry (as in Packer). */
export const CONSOLE_INPUT = '<console-input>';

export const HCL_CONSOLE_HELP = `Packer console HCL2 Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables and functions in the Packer config you called the
console with.

Type in the interpolation to test and hit <enter> to see the result.

"upper(var.foo.id)" would evaluate to the ID of "foo" and uppercase is, if it
exists in your config file.

"variables" will dump all available variables and their values.

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ It is not possible to use go templating interpolation like "{{timestamp}}"
with in HCL2 mode.`;

export const JSON_CONSOLE_HELP = `Packer console JSON Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables in the Packer config you called the console with.

Type in the interpolation to test and hit <enter> to see the result.

"variables" will dump all available variables and their values.

"{{timestamp}}" will output the timestamp, for example "1559855090".

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ If you would like to start console in hcl2 mode without a config you can
use the --config-type=hcl2 option.`;

const NO_FILES: ReadonlyMap<string, SourceFile> = new Map();

function special(line: string, help: string, variables: () => string): Evaluation | undefined {
  const answer = (out: string, exit = false): Evaluation => ({ out, exit, diagnostics: [], files: NO_FILES });
  switch (line) {
    case '':
      return answer('');
    case 'exit':
      return answer('', true);
    case 'help':
      return answer(help);
    case 'variables':
      return answer(variables());
    default:
      return undefined;
  }
}

/** HCL2 mode: `ctx` is the template's console context (no data sources, as in Packer). */
export function hclEvaluator(ctx: EvalContext, description: TemplateDescription | undefined): Evaluator {
  return (line) => {
    const s = special(line, HCL_CONSOLE_HELP, () => printVariables(description));
    if (s) return s;
    const files = new Map<string, SourceFile>([[CONSOLE_INPUT, { bytes: Buffer.from(line, 'utf8') }]]);
    const parsed = parseExpression(line, CONSOLE_INPUT);
    if (hasErrors(parsed.diagnostics)) return { out: '', exit: false, diagnostics: parsed.diagnostics, files };
    const r = toExpression(parsed.value).value(ctx);
    const diagnostics = [...parsed.diagnostics, ...r.diagnostics];
    if (hasErrors(r.diagnostics)) return { out: '', exit: false, diagnostics, files };
    return { out: printableValue(r.value), exit: false, diagnostics, files };
  };
}

/**
 * JSON mode: lines render as Go templates with the user variables. A rendering error
 * is an error diagnostic (Packer gives it no severity, prints `???????` and exits 0).
 */
export function jsonEvaluator(ctx: InterpolateContext): Evaluator {
  return (line) => {
    const s = special(line, JSON_CONSOLE_HELP, () => {
      const vars = ctx.userVariables ?? {};
      return `\n${Object.keys(vars).sort().map((k) => `${k}: ${vars[k] ?? ''},\n`).join('')}`;
    });
    if (s) return s;
    const r = render(line, ctx);
    if (r.kind === 'ok') return { out: r.value, exit: false, diagnostics: [], files: NO_FILES };
    return { out: '', exit: false, diagnostics: [{ severity: 'error', summary: 'Interpolation error', detail: r.message }], files: NO_FILES };
  };
}
