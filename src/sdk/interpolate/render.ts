/**
 * Rendering strings with Packer's legacy template engine (sdk `template/interpolate/i.go`).
 * Every function returns errors as values, with Go's and Packer's messages.
 */
import { randomUuid } from '../../support/random.js';
import type { Node } from './ast.js';
import type { InterpolateContext } from './context.js';
import { execute } from './exec.js';
import { packerFuncs } from './packer-funcs.js';
import { parseTemplate } from './parser.js';

/** A rendered string, or the error message Packer would print. */
export type RenderResult = { kind: 'ok'; value: string } | { kind: 'error'; message: string };

/** Renders `text` once (`interpolate.RenderOnce`). `ctx` undefined is an empty context. */
export function render(text: string, ctx: InterpolateContext = {}): RenderResult {
  const funcs = packerFuncs(ctx);
  const parsed = parseTemplate(text, (n) => funcs.has(n));
  if (parsed.kind === 'error') return parsed;
  return execute(parsed.root, text, (n) => funcs.get(n), ctx.data);
}

/** Checks that `text` parses in `ctx` (`interpolate.Validate`); undefined when it does. */
export function validate(text: string, ctx: InterpolateContext = {}): string | undefined {
  const funcs = packerFuncs(ctx);
  const parsed = parseTemplate(text, (n) => funcs.has(n));
  return parsed.kind === 'error' ? parsed.message : undefined;
}

/** Renders until the output stops changing (`interpolate.Render`). */
export function renderRepeatedly(text: string, ctx: InterpolateContext = {}): RenderResult {
  let v = text;
  for (;;) {
    const r = render(v, ctx);
    if (r.kind === 'error' || r.value === v) return r;
    v = r.value;
  }
}

/**
 * Renders `text` while leaving every match of `regex` untouched (`interpolate.RenderRegex`):
 * matches are swapped for unique placeholders before rendering and back after.
 */
export function renderExcluding(text: string, ctx: InterpolateContext, regex: RegExp): RenderResult {
  const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
  const held = new Map<string, string>();
  let v = text;
  for (const m of text.matchAll(global)) {
    const id = randomUuid();
    held.set(id, m[0]);
    v = v.split(m[0]).join(id);
  }
  const r = render(v, ctx);
  if (r.kind === 'error') return r;
  let out = r.value;
  for (const [id, original] of held) out = out.split(id).join(original);
  return { kind: 'ok', value: out };
}

/** A call to a secret function with literal arguments, for fetching before rendering. */
export interface SecretCall {
  readonly name: 'consul_key' | 'vault' | 'aws_secretsmanager' | 'aws_secretsmanager_raw';
  readonly args: readonly string[];
}

const SECRET_NAMES = new Set(['consul_key', 'vault', 'aws_secretsmanager', 'aws_secretsmanager_raw']);

/**
 * The secret-function calls in `text` whose arguments are all string literals, so a
 * caller can fetch them asynchronously before the synchronous render. A text that
 * does not parse yields none (the render will report the error).
 */
export function secretCallsIn(text: string): SecretCall[] {
  const parsed = parseTemplate(text, () => true);
  if (parsed.kind === 'error') return [];
  const calls: SecretCall[] = [];
  const visit = (n: Node | undefined): void => {
    if (n === undefined) return;
    switch (n.kind) {
      case 'list': n.nodes.forEach(visit); return;
      case 'action': visit(n.pipe); return;
      case 'pipe': n.cmds.forEach(visit); return;
      case 'command': {
        const [head, ...rest] = n.args;
        if (head?.kind === 'identifier' && SECRET_NAMES.has(head.name) && rest.every((a) => a.kind === 'string')) {
          calls.push({ name: head.name as SecretCall['name'], args: rest.map((a) => (a.kind === 'string' ? a.text : '')) });
        }
        n.args.forEach(visit);
        return;
      }
      case 'chain': visit(n.node); return;
      case 'if': case 'range': case 'with':
        visit(n.pipe); visit(n.list); visit(n.elseList);
        return;
      default:
    }
  };
  visit(parsed.root);
  return calls;
}
