/**
 * The built-in components: one line per component, each imported on first use so a
 * command only loads what its template names.
 *
 * To add one: a folder whose `index.ts` default-exports its definition
 * (`export default defineProvisioner({ name: 'x', ... })`), and a line in `BUILTINS`.
 */
import type { ComponentDefinition, ComponentKind, ComponentRegistry } from '../sdk/component.js';

type Loader = () => Promise<{ readonly default: ComponentDefinition }>;

/** kind, name (as templates spell it), loader. Kept sorted by kind, then name. */
const BUILTINS: readonly (readonly [ComponentKind, string, Loader])[] = [
  // builders
  ['builder', 'docker', () => import('./builders/docker/index.js')],
  ['builder', 'file', () => import('./builders/file/index.js')],
  ['builder', 'null', () => import('./builders/null/index.js')],
  ['builder', 'qemu', () => import('./builders/qemu/index.js')],
  // provisioners
  ['provisioner', 'ansible', () => import('./provisioners/ansible/index.js')],
  ['provisioner', 'ansible-local', () => import('./provisioners/ansible-local/index.js')],
  ['provisioner', 'breakpoint', () => import('./provisioners/breakpoint/index.js')],
  ['provisioner', 'file', () => import('./provisioners/file/index.js')],
  ['provisioner', 'shell', () => import('./provisioners/shell/index.js')],
  ['provisioner', 'shell-local', () => import('./provisioners/shell-local/index.js')],
  ['provisioner', 'sleep', () => import('./provisioners/sleep/index.js')],
  // post-processors
  ['post-processor', 'artifice', () => import('./post-processors/artifice/index.js')],
  ['post-processor', 'checksum', () => import('./post-processors/checksum/index.js')],
  ['post-processor', 'compress', () => import('./post-processors/compress/index.js')],
  ['post-processor', 'docker-import', () => import('./post-processors/docker-import/index.js')],
  ['post-processor', 'docker-push', () => import('./post-processors/docker-push/index.js')],
  ['post-processor', 'docker-save', () => import('./post-processors/docker-save/index.js')],
  ['post-processor', 'docker-tag', () => import('./post-processors/docker-tag/index.js')],
  ['post-processor', 'manifest', () => import('./post-processors/manifest/index.js')],
  ['post-processor', 'shell-local', () => import('./post-processors/shell-local/index.js')],
  // communicators
  ['communicator', 'docker', () => import('./communicators/docker/index.js')],
  ['communicator', 'local', () => import('./communicators/local/index.js')],
  ['communicator', 'none', () => import('./communicators/none/index.js')],
  ['communicator', 'ssh', () => import('./communicators/ssh/index.js')],
  // data sources
  ['datasource', 'http', () => import('./datasources/http/index.js')],
  ['datasource', 'null', () => import('./datasources/null/index.js')],
];

/**
 * A registry of kiln's built-in components. Each call builds a fresh index over the
 * same table; loaded modules are cached by Node's module loader.
 */
export function builtinRegistry(): ComponentRegistry {
  const byKey = new Map<string, Loader>();
  for (const [kind, name, load] of BUILTINS) byKey.set(`${kind}:${name}`, load);
  return {
    has: (kind, name) => byKey.has(`${kind}:${name}`),
    async load(kind, name) {
      const loader = byKey.get(`${kind}:${name}`);
      if (!loader) return undefined;
      const definition = (await loader()).default;
      // A table line pointing at the wrong kind of component is a bug in this file.
      if (definition.kind !== kind || definition.name !== name) {
        throw new Error(`registry: ${kind} "${name}" loaded ${definition.kind} "${definition.name}"`);
      }
      return definition;
    },
    names: (kind) => BUILTINS.filter(([k]) => k === kind).map(([, n]) => n),
  };
}
