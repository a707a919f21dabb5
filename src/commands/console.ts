/**
 * `kiln console [options] [TEMPLATE]` (Packer's `command/console.go`): load the
 * template (parse errors fail; initialisation problems are ignored, so unset variables
 * read as unknown), then evaluate input lines. Without a template, JSON mode over
 * Packer's one-`null`-builder template, or HCL2 mode with `-config-type=hcl2`.
 *
 * - Piped standard input: every line (trimmed) is evaluated, diagnostics printed as
 *   they come, only the last result printed; exit 1 when the last line with
 *   diagnostics had an error.
 * - A terminal: a `> ` prompt; `exit` (or Ctrl-D, or Ctrl-C on an empty line) ends it.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import type { Evaluator } from './console-eval.js';
import { hclEvaluator, jsonEvaluator } from './console-eval.js';
import type { Output } from './output.js';
import type { LoadedTemplate } from './load-for-command.js';
import { loadForReading, writeDiagnostics } from './load-for-command.js';

export async function run(ctx: CommandContext): Promise<number> {
  // Input lines may call any function, whether the template does or not.
  const read = await loadForReading(ctx, { allFunctions: true });
  if (!read) return EXIT.error;
  const { out, loaded } = read;
  const evaluate = evaluatorFor(loaded.loaded);
  if (!evaluate) return EXIT.error;
  if (process.stdin.isTTY) return interactive(evaluate, out);
  return piped(evaluate, out, readFileSync(0, 'utf8'));
}

function evaluatorFor(loaded: LoadedTemplate['loaded']): Evaluator | undefined {
  if (loaded.json) return jsonEvaluator(loaded.json.interpolation);
  if (loaded.emptyHclContext) return hclEvaluator(loaded.emptyHclContext, undefined);
  if (loaded.description) return hclEvaluator(loaded.description.consoleContext(), loaded.description);
  return undefined;
}

/** Packer's modePiped: lines as bufio.Scanner splits them (LF, a CR before it dropped). */
export function piped(evaluate: Evaluator, out: Output, input: string): number {
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let last = '';
  let code = 0;
  for (const raw of lines) {
    const r = evaluate(raw.replace(/\r$/, '').trim());
    if (r.diagnostics.length > 0) code = writeDiagnostics(out, r.diagnostics, r.files);
    last = r.out;
  }
  out.emitter.emit({ kind: 'message', text: last });
  return code;
}

/** Packer's modeInteractive over node:readline. */
function interactive(evaluate: Evaluator, out: Output): Promise<number> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ', terminal: true });
    let code = 0;
    let done = false;
    const finish = (c: number): void => {
      if (done) return;
      done = true;
      rl.close();
      resolve(c);
    };
    rl.on('line', (line) => {
      const r = evaluate(line);
      code = writeDiagnostics(out, r.diagnostics, r.files);
      if (r.exit) {
        finish(code);
        return;
      }
      out.emitter.say(r.out);
      rl.prompt();
    });
    rl.on('SIGINT', () => {
      if (rl.line === '') {
        finish(0);
        return;
      }
      // Like readline's ^C: drop the line and prompt again.
      rl.write(null, { ctrl: true, name: 'u' });
      process.stdout.write('^C\n');
      rl.prompt();
    });
    rl.on('close', () => finish(0));
    rl.prompt();
  });
}
