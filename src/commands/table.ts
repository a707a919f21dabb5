/**
 * The command table: every command kiln answers, with the flags Packer 1.16 gives it.
 * Help text comes from here. A command's implementation is imported only when it
 * runs; a command whose implementation has not landed has no `load`.
 */
import type { FlagSpec } from './flags.js';
import type { CommandModule } from './command.js';

export interface CommandSpec {
  /** Space-separated for subcommands: `plugins install`. */
  readonly name: string;
  /** One line, shown in the command list. */
  readonly synopsis: string;
  /** The arguments after the flags, for the usage line: `[options] TEMPLATE`. */
  readonly usage: string;
  /** Paragraphs shown under the usage line. */
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  /** Not listed in the command list (Packer hides aliases and internal commands). */
  readonly hidden?: boolean;
  /**
   * Imports the implementation; absent while the command is not available yet. Written
   * as a literal `() => import('./x.js')` so the bundler (scripts/build.mjs) sees it.
   */
  readonly load?: () => Promise<CommandModule>;
}

const only: FlagSpec = { name: 'only', kind: 'list', value: 'foo,bar,baz', usage: 'Build only the specified builds (globs match names).' };
const except: FlagSpec = { name: 'except', kind: 'list', value: 'foo,bar,baz', usage: 'Build all builds except these (globs match build and post-processor names).' };
const variable: FlagSpec = { name: 'var', kind: 'repeat', value: "'key=value'", usage: 'Set a template variable; may be repeated.' };
const varFile: FlagSpec = { name: 'var-file', kind: 'repeat', value: 'path', usage: 'Read template variables from a file; may be repeated, later files win.' };
const preferPlugins: FlagSpec = { name: 'prefer-plugins', kind: 'string', value: 'all|name,...', usage: 'Use installed plugins instead of kiln\'s own components of the same name: all, or a comma-separated list (also KILN_PREFER_PLUGINS).' };
const configType: FlagSpec = { name: 'config-type', kind: 'string', value: 'type', default: 'json', choices: ['json', 'hcl2'], usage: "Template type when reading from stdin or with no template: 'json' or 'hcl2'." };
/** Packer's MetaArgs: accepted by every command that reads a template. */
const meta: readonly FlagSpec[] = [only, except, variable, varFile, configType];

const machineReadable: FlagSpec = { name: 'machine-readable', kind: 'bool', usage: 'Produce machine-readable output.' };
const sequential: FlagSpec = { name: 'use-sequential-evaluation', kind: 'bool', usage: 'Evaluate all data sources first, then locals, instead of in dependency order.' };
const prerelease: FlagSpec = { name: 'ignore-prerelease-plugins', kind: 'bool', usage: 'Ignore pre-release (-dev) plugin binaries when choosing a plugin.' };
const force: FlagSpec = { name: 'force', kind: 'bool', usage: 'Overwrite what an earlier run left (output directories, artifacts).' };
const cacheDirFlag: FlagSpec = { name: 'cache-dir', kind: 'string', value: 'DIR', usage: 'Step cache folder (default $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln/steps).' };
const cacheBust: FlagSpec = { name: 'cache-bust', kind: 'string', value: 'VALUE', usage: 'A value that enters every step cache key of the build: a new value misses every step (e.g. -cache-bust=$(date +%F) for a daily rebuild).' };
const cacheTtl: FlagSpec = { name: 'cache-ttl', kind: 'string', value: 'DURATION', usage: 'Cached steps recorded longer ago than this (30m, 24h, 7d) run again and are recorded afresh; the side file\'s ttl may be shorter per step.' };
const cacheConfig: FlagSpec = { name: 'cache-config', kind: 'string', value: 'PATH', usage: 'The step cache\'s side file (per-build and per-step cache, bust, ttl, inputs; docs/step-cache.md); default kiln.hcl in the template\'s folder. Packer never reads it.' };
/** The step cache's flags (docs/step-cache.md); without them `build` caches nothing. */
const cacheFlags: readonly FlagSpec[] = [
  { name: 'cache', kind: 'bool', choices: ['read'], usage: 'Reuse provisioning steps cached by earlier builds and record the ones that run; -cache=read only reuses.' },
  { name: 'no-cache', kind: 'bool', usage: 'Read and record nothing in the step cache (the default without -cache).' },
  cacheDirFlag,
  { name: 'resume', kind: 'bool', usage: 'After a failed build, go on in the docker container it kept with -on-error=abort (same build, same steps before the failure), else reuse every step recorded before the failure (implies -cache).' },
  { name: 'cache-ram', kind: 'bool', usage: 'qemu: also keep the VM\'s RAM state with each recorded step (about 1 s and 50 MB a step), so -resume continues without a boot.' },
  { name: 'cache-from', kind: 'string', value: 'REF', usage: 'Also look for cached steps in this registry repository (docker).' },
  cacheBust,
  cacheConfig,
  cacheTtl,
  { name: 'cache-to', kind: 'string', value: 'REF', usage: 'Also push recorded steps to this registry repository (docker; implies -cache).' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'build',
    load: () => import('./build.js'),
    synopsis: 'build image(s) from template',
    usage: '[options] TEMPLATE',
    description: 'Runs every build the template defines, in parallel, and prints the artifacts they produce.',
    flags: [
      { name: 'color', kind: 'bool', default: true, usage: 'Colour the output; -color=false disables it.' },
      { name: 'debug', kind: 'bool', usage: 'Pause between steps; builds run one at a time.' },
      { name: 'except', kind: 'list', value: 'foo,bar,baz', usage: except.usage },
      { name: 'only', kind: 'list', value: 'foo,bar,baz', usage: only.usage },
      force,
      { name: 'json', kind: 'bool-or-string', value: 'FILE', usage: 'Write the JSON event stream (docs/events.md): to standard output, the human output then going to standard error; or to FILE.' },
      machineReadable,
      { name: 'metadata-file', kind: 'string', value: 'PATH', usage: 'Write one JSON document describing each build (status, artifacts, durations) to PATH when the run ends.' },
      { name: 'on-error', kind: 'string', value: '[cleanup|abort|ask|run-cleanup-provisioner]', choices: ['', 'cleanup', 'abort', 'ask', 'run-cleanup-provisioner'], default: '', usage: 'What to do when a build fails: clean up (default), abort without cleanup, ask, or run the error-cleanup-provisioner first.' },
      { name: 'parallel-builds', kind: 'int', value: 'N', default: 0, usage: 'Run at most N builds at once; 0 means no limit.' },
      { name: 'timestamp-ui', kind: 'bool', usage: 'Prefix each output line with an RFC3339 timestamp.' },
      variable,
      varFile,
      configType,
      { name: 'warn-on-undeclared-var', kind: 'bool', usage: 'Warn about values in var files that no variable declares.' },
      preferPlugins,
      sequential,
      prerelease,
      { name: 'skip-enforcement', kind: 'bool', usage: 'Do not add HCP Packer enforced provisioners.' },
      ...cacheFlags,
    ],
  },
  {
    name: 'cache',
    synopsis: 'Inspect and manage the step cache',
    usage: '<subcommand> [options] [args]',
    description: 'Subcommands: explain, ls, prune.',
    flags: [],
  },
  {
    name: 'cache explain',
    synopsis: 'Say, per step, whether kiln build -cache would reuse it, and what changed',
    usage: '[options] TEMPLATE',
    description:
      'For each build kiln build would run with the same options: each step\'s cache key and whether the step cache holds it; for a miss, which input changed since the nearest recorded step (a file\'s digest, an inline line; a sensitive value only as "changed (sensitive)"). Starts no machine, pulls nothing, writes nothing.',
    flags: [
      cacheDirFlag,
      cacheBust,
      cacheConfig,
      cacheTtl,
      preferPlugins,
      prerelease,
      sequential,
      ...meta,
    ],
    load: () => import('./cache-explain.js'),
  },
  {
    name: 'console',
    synopsis: 'creates a console for testing variable interpolation',
    usage: '[options] [TEMPLATE]',
    description: 'Evaluates expressions against a template: interactively at a prompt, or one per line from piped standard input.',
    flags: [...meta, sequential],
    load: () => import('./console.js'),
  },
  {
    name: 'fix',
    synopsis: 'fixes templates from old versions of packer',
    usage: '[options] TEMPLATE',
    description: 'Rewrites a legacy JSON template for the current option names and prints it on standard output.',
    flags: [{ name: 'validate', kind: 'bool', default: true, usage: 'Validate the fixed template; -validate=false skips it.' }, ...meta],
    load: () => import('./fix.js'),
  },
  {
    name: 'gc',
    load: () => import('./gc.js'),
    synopsis: 'Remove what interrupted or killed runs left behind',
    usage: '[options]',
    description:
      'Reads the ledgers of earlier runs (under $XDG_STATE_HOME/kiln, default ~/.local/state/kiln) whose process is gone, removes the containers, VM processes, temporary files and folders they left, and then the ledgers. Resources kept on purpose (-on-error=abort) are left unless -kept is given; runs still alive are never touched.',
    flags: [
      { name: 'dry-run', kind: 'bool', usage: 'List what would be removed; change nothing.' },
      { name: 'kept', kind: 'bool', usage: 'Also remove the resources runs kept on purpose (-on-error=abort).' },
    ],
  },
  {
    name: 'fmt',
    synopsis: 'Rewrites HCL2 config files to canonical format',
    usage: '[options] [TEMPLATE...]',
    description: 'Formats *.pkr.hcl and *.pkrvars.hcl files in the canonical HCL style. A directory formats the files in it; - reads standard input and writes standard output.',
    flags: [
      { name: 'check', kind: 'bool', usage: 'Write nothing; exit 3 when a file is not formatted, and list it.' },
      { name: 'diff', kind: 'bool', usage: 'Show the changes as a unified diff.' },
      { name: 'write', kind: 'bool', default: true, usage: 'Rewrite files in place; -write=false only lists them.' },
      { name: 'recursive', kind: 'bool', usage: 'Also format files in subdirectories.' },
      ...meta,
    ],
    load: () => import('./fmt.js'),
  },
  {
    name: 'hcl2_upgrade',
    synopsis: 'transform a JSON template into an HCL2 configuration',
    usage: '[options] TEMPLATE',
    description: 'Translates a legacy JSON template into an HCL2 template.',
    flags: [
      { name: 'output-file', kind: 'string', value: 'path', usage: 'Where to write the result; default <TEMPLATE>.pkr.hcl.' },
      { name: 'with-annotations', kind: 'bool', usage: 'Add comments that explain the generated blocks.' },
      ...meta,
    ],
    load: () => import('./hcl2-upgrade.js'),
  },
  {
    name: 'init',
    load: () => import('./init.js'),
    synopsis: 'Install missing plugins or upgrade plugins',
    usage: '[options] TEMPLATE',
    description: 'Installs the plugins a template lists in required_plugins.',
    flags: [
      { name: 'upgrade', kind: 'bool', usage: 'Upgrade installed plugins to the newest version the constraints allow.' },
      force,
      ...meta,
    ],
  },
  {
    name: 'inspect',
    synopsis: 'see components of a template',
    usage: '[options] TEMPLATE',
    description: 'Lists the variables, sources, builds, provisioners and post-processors a template defines.',
    flags: [machineReadable, sequential, ...meta],
    load: () => import('./inspect.js'),
  },
  {
    name: 'plan',
    synopsis: 'Show which builds would run, what they use, and their input fingerprints',
    usage: '[options] TEMPLATE',
    description:
      'Lists the builds `kiln build` would run with the same options, and for each its source, provisioners and post-processors (with their file inputs), the plugins it needs and the fingerprint of its inputs (the step cache\'s keys). Creates nothing and contacts nothing: data sources are not run unless -evaluate-datasources is given; a component whose plugin is not installed is listed as needing it. Exit 0, or 1 with errors.',
    flags: [
      { name: 'json', kind: 'bool', usage: 'Print one JSON document (docs/plan.md; schema docs/schema/plan.schema.json).' },
      { name: 'evaluate-datasources', kind: 'bool', usage: 'Run data sources instead of treating their results as unknown.' },
      cacheConfig,
      preferPlugins,
      prerelease,
      sequential,
      ...meta,
    ],
    load: () => import('./plan.js'),
  },
  {
    name: 'cache ls',
    load: () => import('./cache-ls.js'),
    synopsis: 'List the step cache entries',
    usage: '[options]',
    description: 'Lists each cached step: key, build, step, component, snapshot size, when recorded and last used.',
    flags: [cacheDirFlag],
  },
  {
    name: 'cache prune',
    load: () => import('./cache-prune.js'),
    synopsis: 'Remove step cache entries',
    usage: '[options]',
    description: 'Removes cached steps, least recently used first, with the steps recorded after them; never one a running build uses.',
    flags: [
      { name: 'all', kind: 'bool', usage: 'Remove every entry not in use.' },
      { name: 'max-size', kind: 'string', value: 'SIZE', usage: 'Remove entries until the cache holds at most SIZE (10GiB, 500MB).' },
      { name: 'older-than', kind: 'string', value: 'AGE', usage: 'Remove entries not used for AGE (7d, 12h).' },
      { name: 'dry-run', kind: 'bool', usage: 'List what would be removed; change nothing.' },
      cacheDirFlag,
    ],
  },
  {
    name: 'plugins',
    synopsis: 'Interact with Packer plugins and catalog',
    usage: '<subcommand> [options] [args]',
    description: 'Subcommands: installed, install, remove, required.',
    flags: [],
  },
  {
    name: 'plugins install',
    load: () => import('./plugins-install.js'),
    synopsis: 'Install latest Packer plugin [matching version constraint]',
    usage: '[OPTIONS] <source> [<version constraint>]',
    description: 'Installs a plugin from its source address, or a local binary with -path.',
    flags: [
      { name: 'path', kind: 'string', value: 'binary', usage: 'Install this local plugin binary instead of downloading.' },
      { name: 'force', kind: 'bool', usage: 'Reinstall even when a matching version is installed.' },
      ...meta,
    ],
  },
  {
    name: 'plugins installed',
    load: () => import('./plugins-installed.js'),
    synopsis: 'List all installed Packer plugin binaries',
    usage: '',
    description: 'Prints the path of every installed plugin binary, one per line.',
    flags: [],
  },
  {
    name: 'plugins remove',
    load: () => import('./plugins-remove.js'),
    synopsis: 'Remove Packer plugins [matching a version]',
    usage: '<source|path> [<version constraint>]',
    description: 'Removes the installed plugins that match a source and constraint, or the binary at an absolute path.',
    flags: [],
  },
  {
    name: 'plugins required',
    load: () => import('./plugins-required.js'),
    synopsis: 'List plugins required by a config',
    usage: '<path>',
    description: 'Lists the plugins a template requires and the installed binaries that satisfy each.',
    flags: [...meta],
  },
  {
    name: 'validate',
    synopsis: 'check that a template is valid',
    usage: '[options] TEMPLATE',
    description: 'Checks that a template parses and that its configuration is valid, without building.',
    flags: [
      { name: 'syntax-only', kind: 'bool', usage: 'Only check the syntax.' },
      { name: 'no-warn-undeclared-var', kind: 'bool', usage: 'Do not warn about values in var files that no variable declares.' },
      { name: 'evaluate-datasources', kind: 'bool', usage: 'Run data sources instead of treating their results as unknown.' },
      preferPlugins,
      machineReadable,
      prerelease,
      sequential,
      ...meta,
    ],
    load: () => import('./validate.js'),
  },
  {
    name: 'verify-attestation',
    synopsis: 'verify a signed attestation against policy',
    usage: '[options] ATTESTATION',
    description: 'Verifies a DSSE in-toto attestation: its signature, and optionally its predicate, builder, source and subject.',
    flags: [
      { name: 'signing-mode', kind: 'string', value: 'key|kms|keyless', usage: 'How the attestation was signed; detected when absent.' },
      { name: 'key', kind: 'string', value: 'path|uri', usage: 'Public key: a PEM file, or a KMS or Vault URI.' },
      { name: 'verifier', kind: 'string', value: 'path', usage: 'Verifier public key (PEM).' },
      { name: 'predicate-type', kind: 'string', value: 'uri', usage: 'Required predicate type.' },
      { name: 'builder-id', kind: 'string', value: 'id', usage: 'Required builder id.' },
      { name: 'source-uri', kind: 'string', value: 'uri', usage: 'Required source URI.' },
      { name: 'artifact', kind: 'string', value: 'path', usage: 'A file whose digest must match a subject.' },
      { name: 'trusted-root-path', kind: 'string', value: 'path', usage: 'Sigstore trusted root.' },
      { name: 'keyless-identity', kind: 'string', value: 'identity', usage: 'Expected certificate identity (keyless).' },
      { name: 'keyless-oidc-issuer', kind: 'string', value: 'url', usage: 'Expected OIDC issuer (keyless).' },
      { name: 'bundle', kind: 'string', value: 'path', usage: 'Sigstore bundle JSON.' },
      { name: 'require-rekor', kind: 'bool', usage: 'Require a transparency-log entry.' },
      { name: 'require-timestamp', kind: 'bool', usage: 'Require a signed timestamp.' },
    ],
  },
  {
    name: 'version',
    synopsis: 'Prints the Packer version',
    usage: '',
    description: 'Prints the kiln version and the Packer version it is compatible with.',
    flags: [machineReadable],
    load: () => import('./version.js'),
  },
];

/** Packer's hidden alias: `plugin ...` means `plugins ...`. */
export const ALIASES: ReadonlyMap<string, string> = new Map([['plugin', 'plugins']]);

/**
 * Finds the command named by the leading arguments, preferring the longest match
 * (`plugins install` over `plugins`). Returns the spec and the arguments after it.
 */
export function findCommand(args: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const first = args[0];
  if (first === undefined) return undefined;
  const head = ALIASES.get(first) ?? first;
  const second = args[1];
  if (second !== undefined) {
    const sub = COMMANDS.find((c) => c.name === `${head} ${second}`);
    if (sub) return { spec: sub, rest: args.slice(2) };
  }
  const spec = COMMANDS.find((c) => c.name === head);
  return spec ? { spec, rest: args.slice(1) } : undefined;
}
