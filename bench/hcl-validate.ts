/**
 * Parse-and-evaluate on a 5 MB template, kiln against Debian's packer 1.6.6
 * (`apt-get install packer`; PACKER_BIN overrides), rounds interleaved (BENCH_RUNS,
 * at least 5):
 * - the file: the runner-images Ubuntu template's variables, locals and source, copied
 *   until about 5 MB with every variable, local and source renamed apart (`_N`), no
 *   `packer` block, `image_os` defaulting to "ubuntu22" (so the locals evaluate), then
 *   formatted with kiln's formatter; packer must accept it
 *   (`validate -syntax-only` and `fmt -check` exit 0), and so must `kiln fmt -check`;
 * - `fmt -check`: both CLIs, wall time per run;
 * - `validate -syntax-only`: packer's CLI; kiln's CLI when its `validate` command has
 *   landed (built into dist/), otherwise only the next line stands for kiln;
 * - the library in-process: `parseNativeFile`, variable types and defaults, locals
 *   evaluated in dependency passes, source headers — packer 1.6.6's syntax-only check
 *   evaluates variable defaults but not locals, so this does more; and it has no
 *   process start-up, so it is NOT the same measurement as a CLI's wall time: the
 *   report says which is which.
 * - runner-images' Ubuntu templates (the 9 files of ../shared's corpus, one folder):
 *   `validate -syntax-only <folder>`, both CLIs, wall and CPU time (user+sys), with
 *   `node -e 0` beside them as the floor of any Node CLI (and, when NODE_EXTRA_CA_CERTS
 *   is set, `node -e 0` with it empty: bin/kiln defers that file's load, Node does not).
 * CPU time (10 ms ticks) is printed beside wall time for the CLIs: on the shared 2-core
 * machine wall time mostly measures the load. KILN_BASE_BIN=<other checkout>/bin/kiln
 * adds that build's `validate -syntax-only` to both workloads (before/after in one run).
 * Target: median ratio kiln/packer ≤ 0.8 for `validate -syntax-only` on both workloads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cty from '../src/hcl/cty/index.js';
import type { Diagnostic } from '../src/hcl/diagnostic.js';
import { EvalContext } from '../src/hcl/eval-context.js';
import type { Expression } from '../src/hcl/expression.js';
import { parseNativeFile } from '../src/hcl/syntax/body-file.js';
import { typeConstraint } from '../src/hcl/typeexpr/index.js';
import { format } from '../src/hcl/write/format.js';
import { variableDefaultFunctions } from '../src/template/functions/env.js';
import { packerFunctions } from '../src/template/functions/table.js';
import { sharedPath } from '../test/support/shared.js';
import type { Command } from './timing.js';
import type { Sample } from './timing.js';
import { describeTimes, loadLine, median, nodeFloorWithoutExtraCa, ratio, sampleOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** KILN_BIN: another build of the CLI (the shared dist/ may be mid-rebuild). */
const kilnBin = process.env['KILN_BIN'] ?? path.join(root, 'bin', 'kiln');
/** KILN_BASE_BIN: a build to compare with (e.g. main before a change), run in the same rounds. */
const baseBin = process.env['KILN_BASE_BIN'];
const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 7));
const PACKER = process.env['PACKER_BIN'] ?? 'packer';
const TEMPLATES = ['variable.ubuntu.pkr.hcl', 'locals.ubuntu.pkr.hcl', 'source.ubuntu.pkr.hcl'];
/** Before formatting, which removes about 4% (alignment spaces). */
const TARGET_BYTES = 5_250_000;

/** One copy of the template with every name it defines suffixed by `_n`. */
function renamedCopy(text: string, n: number, localNames: readonly string[]): string {
  let t = text.replace(/^variable "([^"]+)"/gm, (_m, name: string) => `variable "${name}_${n}"`);
  t = t.replace(/\b(var|local)\.(\w+)/g, (_m, root: string, name: string) => `${root}.${name}_${n}`);
  // Only the locals block's own attributes (two spaces in), not same-named keys nested in its maps.
  for (const name of localNames) t = t.replace(new RegExp(`^( {2})${name}(\\s*=)`, 'gm'), `$1${name}_${n}$2`);
  return t.replace(/^source "([^"]+)" "([^"]+)"/gm, (_m, type: string, name: string) => `source "${type}" "${name}_${n}"`);
}

/** Writes the generated file and returns its size in bytes. */
export function generateFile(file: string): number {
  const dir = sharedPath('corpus', 'templates', 'runner-images-ubuntu', 'images', 'ubuntu', 'templates');
  // image_os picks the locals' map entry; its default "" would make every local an error.
  const text = TEMPLATES.map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n')
    .replace(/(variable "image_os" \{[^}]*default\s*=\s*)""/, '$1"ubuntu22"');
  const locals = [...text.matchAll(/^locals \{([\s\S]*?)^\}/gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/^ {2}(\w+)\s*=/gm)].map((a) => a[1] ?? ''));
  const copies: string[] = [];
  let bytes = 0;
  for (let n = 1; bytes < TARGET_BYTES; n++) {
    const copy = renamedCopy(text, n, locals);
    copies.push(copy);
    bytes += Buffer.byteLength(copy) + 1;
  }
  const out = format(copies.join('\n'));
  writeFileSync(file, out);
  return Buffer.byteLength(out);
}

/** What packer 1.6.6's `validate -syntax-only` evaluates, done with kiln's library; returns the error count. */
export function libraryValidate(src: string, filename: string): number {
  const file = parseNativeFile(src, filename);
  const diags: Diagnostic[] = [...file.diagnostics];
  const top = file.body.content({ blocks: [{ type: 'variable', labelNames: ['name'] }, { type: 'locals' }, { type: 'source', labelNames: ['type', 'name'] }] });
  diags.push(...top.diagnostics);
  const defaultsCtx = new EvalContext({ functions: variableDefaultFunctions() });
  const vars = new Map<string, cty.Value>();
  const pending = new Map<string, { expr: Expression; deps: string[] }>();
  for (const block of top.content.blocks) {
    if (block.type === 'variable') {
      const v = block.body.content({ attributes: [{ name: 'type' }, { name: 'default' }, { name: 'sensitive' }, { name: 'description' }] });
      diags.push(...v.diagnostics);
      const typeAttr = v.content.attributes.get('type');
      const t = typeAttr ? typeConstraint(typeAttr.expr) : { type: cty.dynamicType, diagnostics: [] };
      diags.push(...t.diagnostics);
      const def = v.content.attributes.get('default');
      let value: cty.Value = cty.dynamicVal;
      if (def) {
        const r = def.expr.value(defaultsCtx);
        diags.push(...r.diagnostics);
        const converted = cty.convertValue(r.value, t.type);
        value = converted instanceof cty.PathError ? cty.dynamicVal : converted;
      }
      vars.set(block.labels[0] ?? '', value);
    } else if (block.type === 'locals') {
      const attrs = block.body.justAttributes();
      diags.push(...attrs.diagnostics);
      for (const [name, attr] of attrs.attributes) {
        const deps = attr.expr.variables().flatMap((t) => {
          const first = t[0];
          const second = t[1];
          return first?.kind === 'root' && first.name === 'local' && second?.kind === 'attr' ? [second.name] : [];
        });
        pending.set(name, { expr: attr.expr, deps });
      }
    }
  }
  const locals = new Map<string, cty.Value>();
  const ctx = new EvalContext({ functions: packerFunctions({ baseDir: root }) });
  const varObj = cty.objectVal(vars);
  // Packer evaluates locals in passes until none is left or a pass makes no progress.
  while (pending.size > 0) {
    ctx.variables = new Map([['var', varObj], ['local', cty.objectVal(locals)]]);
    const known = new Set(locals.keys());
    let progress = false;
    for (const [name, local] of pending) {
      if (local.deps.some((d) => !known.has(d))) continue;
      const r = local.expr.value(ctx);
      diags.push(...r.diagnostics);
      locals.set(name, r.value);
      pending.delete(name);
      progress = true;
    }
    if (!progress) break;
  }
  return diags.filter((d) => d.severity === "error").length + pending.size;
}

function packerVersion(): string {
  const r = spawnSync(PACKER, ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`validate bench needs Debian's packer (apt-get install -y packer): ${r.error?.message ?? r.stderr}`);
  return r.stdout.trim();
}

/** True when kiln's CLI has a working `validate -syntax-only` (another engineer's command, not there yet). */
function kilnHasValidate(file: string): boolean {
  const r = spawnSync(kilnBin, ['validate', '-syntax-only', file], { encoding: 'utf8' });
  return r.status === 0;
}

function line(label: string, xs: readonly number[], bytes: number): void {
  console.log(`${describeTimes(label, xs)}; ${(bytes / 1e6 / (median(xs) / 1000)).toFixed(2)} MB/s`);
}

function ratioLine(title: string, a: readonly number[], b: readonly number[], target = '≤ 1.00'): void {
  const r = ratio(a, b);
  console.log(`${title}: median ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}, n=${a.length}); target ${target}`);
}

/** `validate -syntax-only` of runner-images' Ubuntu template folder, kiln against packer, wall and CPU. */
function benchRunnerImages(): void {
  const dir = sharedPath('corpus', 'templates', 'runner-images-ubuntu', 'images', 'ubuntu', 'templates');
  const commands: Command[] = [
    { label: 'kiln validate -syntax-only', argv: [kilnBin, 'validate', '-syntax-only', '.'], cwd: dir },
    { label: 'packer validate -syntax-only', argv: [PACKER, 'validate', '-syntax-only', '.'], cwd: dir },
    { label: 'node -e 0', argv: [process.execPath, '-e', '0'], cwd: dir },
  ];
  const floor = nodeFloorWithoutExtraCa(dir);
  if (floor) commands.push(floor);
  if (baseBin) commands.push({ label: 'base kiln validate -syntax-only', argv: [baseBin, 'validate', '-syntax-only', '.'], cwd: dir });
  const samples = new Map<string, Sample[]>(commands.map((c) => [c.label, []]));
  for (const c of commands) sampleOnce(c);
  console.log(`### runner-images Ubuntu templates (9 files, one folder); before: ${loadLine()}`);
  for (let i = 0; i < Math.max(runs, 15); i++) for (const c of commands) samples.get(c.label)?.push(sampleOnce(c));
  console.log(`after: ${loadLine()}`);
  const [k, p] = commands.map((c) => samples.get(c.label) ?? []) as [Sample[], Sample[]];
  for (const c of commands) {
    const xs = samples.get(c.label) ?? [];
    console.log(describeTimes(`${c.label} wall`, xs.map((x) => x.wall)));
    console.log(describeTimes(`${c.label} cpu`, xs.map((x) => x.cpu)));
  }
  ratioLine('runner-images validate -syntax-only ratio kiln/packer (CLI wall times)', k.map((x) => x.wall), p.map((x) => x.wall), '≤ 0.8');
  ratioLine('runner-images validate -syntax-only CPU ratio kiln/packer (user+sys)', k.map((x) => x.cpu), p.map((x) => x.cpu), '(none)');
  const base = samples.get('base kiln validate -syntax-only');
  if (base) ratioLine('runner-images validate -syntax-only CPU ratio kiln/base kiln', k.map((x) => x.cpu), base.map((x) => x.cpu), '(none)');
}

export function benchValidate(): void {
  // Packer 1.6.6 otherwise asks checkpoint.hashicorp.com for updates on every run.
  process.env['CHECKPOINT_DISABLE'] = '1';
  console.log(`packer: ${packerVersion()}; rounds: ${runs}`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-bench-validate-'));
  try {
    const big = path.join(tmp, 'big.pkr.hcl');
    const bytes = generateFile(big);
    const src = readFileSync(big, 'utf8');
    const commands: Command[] = [
      { label: 'kiln fmt -check', argv: [kilnBin, 'fmt', '-check', big] },
      { label: 'packer fmt -check', argv: [PACKER, 'fmt', '-check', big] },
      { label: 'packer validate -syntax-only', argv: [PACKER, 'validate', '-syntax-only', big] },
    ];
    const withKilnValidate = kilnHasValidate(big);
    if (withKilnValidate) commands.push({ label: 'kiln validate -syntax-only', argv: [kilnBin, 'validate', '-syntax-only', big] });
    if (baseBin) commands.push({ label: 'base kiln validate -syntax-only', argv: [baseBin, 'validate', '-syntax-only', big] });
    const errors = libraryValidate(src, big);
    if (errors > 0) throw new Error(`kiln's library found ${errors} errors in the generated file`);
    console.log(`### 5 MB validate workload (${(bytes / 1e6).toFixed(2)} MB): every command exits 0; kiln validate CLI: ${withKilnValidate ? 'yes' : 'not available yet'}`);
    const times = new Map<string, number[]>([...commands.map((c): [string, number[]] => [c.label, []]), ['kiln library parse+evaluate (in-process)', []]]);
    const cpu = new Map<string, number[]>(commands.map((c) => [c.label, []]));
    for (let i = -1; i < runs; i++) {
      for (const c of commands) {
        const sample = sampleOnce(c);
        if (i >= 0) times.get(c.label)?.push(sample.wall);
        if (i >= 0) cpu.get(c.label)?.push(sample.cpu);
      }
      const start = process.hrtime.bigint();
      libraryValidate(src, big);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= 0) times.get('kiln library parse+evaluate (in-process)')?.push(ms);
    }
    console.log(`after the rounds: ${loadLine()}`);
    for (const [label, xs] of times) line(label, xs, bytes);
    for (const [label, xs] of cpu) console.log(describeTimes(`${label} cpu`, xs));
    const get = (label: string): number[] => times.get(label) ?? [];
    const getCpu = (label: string): number[] => cpu.get(label) ?? [];
    ratioLine('fmt -check ratio kiln/packer (both CLI wall times)', get('kiln fmt -check'), get('packer fmt -check'));
    if (withKilnValidate) {
      ratioLine('validate -syntax-only ratio kiln/packer (both CLI wall times)', get('kiln validate -syntax-only'), get('packer validate -syntax-only'), '≤ 0.8');
      ratioLine('validate -syntax-only CPU ratio kiln/packer (user+sys)', getCpu('kiln validate -syntax-only'), getCpu('packer validate -syntax-only'), '(none)');
      if (baseBin) ratioLine('validate -syntax-only CPU ratio kiln/base kiln', getCpu('kiln validate -syntax-only'), getCpu('base kiln validate -syntax-only'), '(none)');
    }
    ratioLine('parse+evaluate ratio kiln library in-process / packer validate -syntax-only CLI wall time', get('kiln library parse+evaluate (in-process)'), get('packer validate -syntax-only'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  benchRunnerImages();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchValidate();
