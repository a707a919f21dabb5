/**
 * The pre-pass of secret resolution: finds calls to `vault`, `consul_key`,
 * `aws_secretsmanager` and `aws_secretsmanager_raw` whose arguments are constants, so
 * they can be fetched before the (synchronous) evaluation.
 */
import type * as ast from '../../hcl/syntax/ast.js';
import { evaluate } from '../../hcl/syntax/eval.js';
import type { Value } from '../../hcl/cty/value.js';
import type { SecretCall } from './secret-backends.js';

/** The names of the secret functions. */
export const SECRET_FUNCTION_NAMES: ReadonlySet<string> = new Set(['vault', 'consul_key', 'aws_secretsmanager', 'aws_secretsmanager_raw']);

/**
 * The constant-argument secret calls anywhere in `roots` (native-syntax bodies or
 * expressions, or any structure holding them). An argument is constant when it
 * evaluates without a context and without diagnostics: literals and templates without
 * interpolations, `null` for the optional AWS key.
 */
export function secretCallsIn(...roots: unknown[]): SecretCall[] {
  const calls: SecretCall[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node instanceof Map) {
      for (const n of node.values()) visit(n);
      return;
    }
    const rec = node as Record<string, unknown>;
    if (rec['kind'] === 'function-call') {
      const call = asSecretCall(node as ast.FunctionCallExpr);
      if (call !== undefined) calls.push(call);
    }
    for (const [k, v] of Object.entries(rec)) if (k !== 'srcRange' && !k.endsWith('Range')) visit(v);
  };
  for (const r of roots) visit(r);
  return calls;
}

function constant(e: ast.Expression): Value | undefined {
  const r = evaluate(e, undefined);
  return r.diagnostics.length === 0 && r.value.isWhollyKnown() ? r.value : undefined;
}

function constString(e: ast.Expression | undefined): string | undefined {
  if (e === undefined) return undefined;
  const v = constant(e);
  return v !== undefined && v.type.kind === 'string' && !v.isNull() ? v.asString() : undefined;
}

function asSecretCall(node: ast.FunctionCallExpr): SecretCall | undefined {
  if (!SECRET_FUNCTION_NAMES.has(node.name) || node.expandFinal) return undefined;
  const [a, b] = node.args;
  switch (node.name) {
    case 'vault': {
      const [path, key] = [constString(a), constString(b)];
      return node.args.length === 2 && path !== undefined && key !== undefined ? { kind: 'vault', path, key } : undefined;
    }
    case 'consul_key': {
      const key = constString(a);
      return node.args.length === 1 && key !== undefined ? { kind: 'consul_key', key } : undefined;
    }
    case 'aws_secretsmanager': {
      const name = constString(a);
      if (node.args.length !== 2 || name === undefined || b === undefined) return undefined;
      const kv = constant(b);
      if (kv?.isNull()) return { kind: 'aws_secretsmanager', name, key: undefined };
      const key = constString(b);
      return key === undefined ? undefined : { kind: 'aws_secretsmanager', name, key };
    }
    case 'aws_secretsmanager_raw': {
      const name = constString(a);
      return node.args.length === 1 && name !== undefined ? { kind: 'aws_secretsmanager_raw', name } : undefined;
    }
    default:
      return undefined;
  }
}
