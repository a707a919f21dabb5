// ESLint rule: no barrel module at a layer's root (docs/design.md, "Build" and "Layer rule").
// A src/<layer>/index.ts that re-exports the layer would make every importer load all of
// it: the esbuild bundle keeps commands lazy only when each file imports the modules it
// uses by path (`../hcl/diagnostic.js`, `../hcl/dec/decode.js`). So:
// - no file src/<layer>/index.ts (src/hcl/index.ts was removed for this reason);
// - no import of a layer's root (`../hcl`, `../hcl/index.js`).
// Folders inside a layer (hcl/cty, hcl/dec, sdk/schema) may keep their own index.ts.
import path from 'node:path';

const INDEX = /^index\.[cm]?[jt]s$/;

export default {
  meta: {
    type: 'problem',
    docs: { description: "No barrel module at a layer's root; import a layer's modules by path." },
    schema: [],
    messages: {
      barrelFile: "No index module at the root of src/{{layer}}: import the layer's modules by path, so a command loads only what it uses.",
      barrelImport: "Import the module you need from src/{{layer}} by path, not the layer's root ('{{to}}').",
    },
  },
  create(context) {
    const file = context.filename;
    const srcRoot = path.join(context.cwd, 'src');
    const rel = path.relative(srcRoot, file);
    const inSrc = !(rel.startsWith('..') || path.isAbsolute(rel));
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const toRel = path.relative(srcRoot, path.resolve(path.dirname(file), source));
      if (toRel.startsWith('..') || path.isAbsolute(toRel)) return;
      const parts = toRel.split(path.sep);
      const layerRoot = parts.length === 1 || (parts.length === 2 && INDEX.test(parts[1] ?? ''));
      if (layerRoot && parts[0]) context.report({ node, messageId: 'barrelImport', data: { layer: parts[0], to: source } });
    }
    return {
      Program: (node) => {
        const parts = rel.split(path.sep);
        if (inSrc && parts.length === 2 && INDEX.test(parts[1] ?? '')) context.report({ node, messageId: 'barrelFile', data: { layer: parts[0] } });
      },
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
    };
  },
};
