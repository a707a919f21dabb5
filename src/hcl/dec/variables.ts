/**
 * The variables a body needs when decoded with a spec (hcldec.Variables): the
 * traversals of every expression the spec would evaluate, nested blocks included, so
 * a caller can build exactly the evaluation context required.
 */
import type { Body, BodyContent } from '../body.js';
import type { Traversal } from '../traversal.js';
import { impliedSchema } from './schema.js';
import type { Spec } from './spec.js';
import { sameBodyChildren } from './spec.js';

/** The absolute traversals `spec` would evaluate in `body`, in spec order. */
export function variables(body: Body, spec: Spec): Traversal[] {
  const { content } = body.partialContent(impliedSchema(spec));
  const out: Traversal[] = [];
  const visit = (s: Spec): void => {
    out.push(...variablesNeeded(s, content));
    for (const c of sameBodyChildren(s)) visit(c);
  };
  visit(spec);
  return out;
}

function variablesNeeded(s: Spec, content: BodyContent): Traversal[] {
  switch (s.kind) {
    case 'attr':
      return content.attributes.get(s.name)?.expr.variables() ?? [];
    case 'expr':
      return s.expr.variables();
    case 'block': {
      const b = content.blocks.find((x) => x.type === s.typeName);
      return b ? variables(b.body, s.nested) : [];
    }
    case 'block-list':
    case 'block-tuple':
    case 'block-set':
    case 'block-map':
    case 'block-object':
      return content.blocks.filter((x) => x.type === s.typeName).flatMap((b) => variables(b.body, s.nested));
    case 'block-attrs': {
      const b = content.blocks.find((x) => x.type === s.typeName);
      if (!b) return [];
      return [...b.body.justAttributes().attributes.values()].flatMap((a) => a.expr.variables());
    }
    default:
      return [];
  }
}
