// ESLint rule: components stay apart, and test code stays out of kiln (docs/design.md).
// - A file under src/plugins/<kind>/ may import, under src/plugins/, only its own
//   component folder (src/plugins/<kind>/<name>/) and the files shared by its kind
//   (src/plugins/<kind>/*.ts). Test code there may also import the registry
//   (src/plugins/registry.ts) and any kind's test-helpers.ts. Anything else one
//   component needs of another goes through the SDK or the registry.
// - Under src/, only test code (*.test.ts and test-helpers.ts) may import from test/
//   or import a test-helpers.ts module.
// - Components run steps only through runBuildSteps (src/sdk/multistep/build-steps.ts),
//   the one runner that applies -debug, -on-error and the wrap-up: they may not import
//   the engine's runSteps.
import path from 'node:path';

function isTestCode(file) {
  const base = path.basename(file);
  return /\.test\.[cm]?[jt]s$/.test(base) || /^test-helpers\.[cm]?[jt]s$/.test(base);
}

function isTestHelpers(file) {
  return /^test-helpers\.[cm]?[jt]s$/.test(path.basename(file));
}

/** `{ kind, name }` of a path under src/plugins/ (`name` undefined for a kind-level file). */
function pluginPlace(rel) {
  const parts = rel.split(path.sep);
  if (parts[0] !== 'plugins' || parts.length < 2) return undefined;
  if (parts.length === 2) return { kind: undefined, name: undefined, top: parts[1] };
  return { kind: parts[1], name: parts.length > 3 ? parts[2] : undefined };
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'No component imports another component; test code stays out of kiln.' },
    schema: [],
    messages: {
      crossPlugin: "A component may not import another component ('{{to}}'); share code through src/sdk or ask the registry.",
      testImport: "Only test code (*.test.ts, test-helpers.ts) may import '{{to}}'.",
      oneRunner: 'Run steps with runBuildSteps (sdk/multistep/build-steps.ts), not runSteps: it applies -debug, -on-error and the wrap-up.',
    },
  },
  create(context) {
    const file = context.filename;
    const srcRoot = path.join(context.cwd, 'src');
    const fromRel = path.relative(srcRoot, file);
    if (fromRel.startsWith('..') || path.isAbsolute(fromRel)) return {};
    const testCode = isTestCode(file);
    const from = pluginPlace(fromRel);
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const toRel = path.relative(srcRoot, target);
      const outsideSrc = toRel.startsWith('..') || path.isAbsolute(toRel);
      if ((outsideSrc || isTestHelpers(target)) && !testCode) {
        context.report({ node, messageId: 'testImport', data: { to: source } });
        return;
      }
      if (outsideSrc || !from || from.kind === undefined) return;
      const to = pluginPlace(toRel);
      if (!to) return;
      if (testCode && (/^registry\.[cm]?[jt]s$/.test(to.top ?? '') || isTestHelpers(target))) return;
      const sameFolder = to.kind === from.kind && to.name !== undefined && to.name === from.name;
      const kindShared = to.kind === from.kind && to.name === undefined;
      if (sameFolder || kindShared) return;
      context.report({ node, messageId: 'crossPlugin', data: { to: source } });
    }
    function checkRunner(n) {
      if (!from || typeof n.source.value !== 'string' || !n.source.value.startsWith('.')) return;
      const toRel = path.relative(srcRoot, path.resolve(path.dirname(file), n.source.value));
      if (!/^sdk[\\/]multistep[\\/]runner\.[cm]?[jt]s$/.test(toRel)) return;
      for (const s of n.specifiers ?? []) {
        const name = s.type === 'ImportSpecifier' || s.type === 'ExportSpecifier' ? (s.imported ?? s.local).name : undefined;
        if (name === 'runSteps') context.report({ node: s, messageId: 'oneRunner' });
      }
    }
    return {
      ImportDeclaration: (n) => {
        check(n.source, n.source.value);
        checkRunner(n);
      },
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
    };
  },
};
