// ESLint rule: enforce kiln's layer import direction (docs/design.md).
// A file under src/<layer>/ may import only the layers listed for it.
import path from 'node:path';

/** For each layer under src/, the layers it may import (itself included). */
export const ALLOWED = {
  support: ['support'],
  hcl: ['hcl'],
  sdk: ['sdk', 'hcl', 'support'],
  plugins: ['plugins', 'sdk', 'hcl', 'support'],
  template: ['template', 'sdk', 'hcl', 'support'],
  core: ['core', 'template', 'sdk', 'hcl', 'support'],
  external: ['external', 'sdk', 'hcl', 'support'],
  commands: ['commands', 'core', 'template', 'plugins', 'external', 'sdk', 'hcl', 'support'],
};

function layerOf(file, srcRoot) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0];
  return Object.hasOwn(ALLOWED, first) ? first : undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Lower layers never import higher ones (hcl ← sdk ← plugins; template, core, commands).' },
    schema: [],
    messages: {
      upward: "Layer '{{from}}' may not import from layer '{{to}}' (allowed: {{allowed}}).",
    },
  },
  create(context) {
    const file = context.filename;
    const srcRoot = path.join(context.cwd, 'src');
    const from = layerOf(file, srcRoot);
    if (!from) return {};
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(file), source), srcRoot);
      if (!to || ALLOWED[from].includes(to)) return;
      context.report({ node, messageId: 'upward', data: { from, to, allowed: ALLOWED[from].join(', ') } });
    }
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
    };
  },
};
