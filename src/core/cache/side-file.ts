/**
 * The step cache's side file, `kiln.hcl`: per-build and per-step cache settings kept
 * beside the template (in its folder), which Packer never loads — a template must stay
 * runnable by Packer, so kiln adds nothing to it. Parsed with kiln's HCL library;
 * literal values only (no variables or functions). Every problem is a diagnostic
 * pointing into the side file, saying what to do; a side file with errors stops the
 * command before anything runs.
 *
 * ```hcl
 * ttl = "30d"                      # every step of every build
 * build "docker.app" {             # a build as kiln build names it, or its source (source.docker.app)
 *   bust = "2026-12"               # enters the build's base key: every step misses once
 *   step "2" { ttl = "24h" }       # provisioner 2 ([2/5] in the output): stale after a day
 *   step "shell-local#4" { inputs = ["files/app.tar", "roles/**"] }   # provisioner 4, a shell-local: files, folders, globs
 *   step "register" { cache = false }                     # the provisioner named "register"
 *   step "ssh-seed" { affects = "guest" }                 # a shell-local that changes the machine
 * }
 * step "upload" { bust = "v2" }    # every build with a step of that name
 * ```
 * The meaning of each setting is in `core/fingerprint/side-settings.ts`.
 */
import path from 'node:path';
import type { Attribute, Block, Body, BodySchema } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { exprList } from '../../hcl/expression.js';
import type { Range } from '../../hcl/pos.js';
import * as cty from '../../hcl/cty/index.js';
import { nameSuggestion } from '../../hcl/suggest.js';
import type { BuildSideSettings, SideSettings, StepSideSettings } from '../fingerprint/side-settings.js';
import { expandGlob, isGlob } from '../fingerprint/glob.js';
import { parseAge } from './prune.js';
import { selectStep, type SideBuild } from './side-select.js';

export type { SideBuild } from './side-select.js';

/** The settings a side file gives, and its problems. */
export interface SideFileResult {
  readonly settings: SideSettings;
  readonly diagnostics: Diagnostic[];
}

const SETTINGS = ['cache', 'bust', 'ttl'] as const;
const TOP: BodySchema = { attributes: SETTINGS.map((name) => ({ name })), blocks: [{ type: 'build', labelNames: ['name'] }, { type: 'step', labelNames: ['selector'] }] };
const BUILD: BodySchema = { attributes: SETTINGS.map((name) => ({ name })), blocks: [{ type: 'step', labelNames: ['selector'] }] };
const STEP: BodySchema = { attributes: [...SETTINGS, 'inputs', 'affects'].map((name) => ({ name })) };
const TAKES = 'kiln.hcl takes the attributes cache, bust and ttl at its top level and in build "NAME" and step "SELECTOR" blocks, inputs and affects in step blocks, and nothing else (docs/step-cache.md, "The side file")';

const ANY_BUILD = 'any build';

type Mutable = { -readonly [K in keyof StepSideSettings]: StepSideSettings[K] };
interface BuildEntry {
  readonly base: Mutable;
  readonly steps: (Mutable | undefined)[];
}

/**
 * Reads the side file's `body` (file `shown`, in folder `dir`) against the template's
 * `builds`. `filtered`: `-only`/`-except` left some builds out, so a build block that
 * names none of `builds` is not an error.
 */
export function readSideFile(body: Body, shown: string, dir: string, builds: readonly SideBuild[], filtered: boolean): SideFileResult {
  const diagnostics: Diagnostic[] = [];
  const top = content(body, TOP, diagnostics);
  const everywhere = settingsOf(top.attributes, shown, dir, diagnostics);
  const out = new Map<string, BuildEntry>();
  for (const b of builds) out.set(b.name, { base: { ...everywhere }, steps: b.provisioners.map(() => undefined) });
  const applyStep = (block: Block, inBuilds: readonly SideBuild[], where: string): void => {
    const body = content(block.body, STEP, diagnostics);
    const s = settingsOf(body.attributes, shown, dir, diagnostics);
    const selector = block.labels[0] ?? '';
    let matched = 0;
    const problems: string[] = [];
    for (const b of inBuilds) {
      const found = selectStep(b, selector);
      if (typeof found === 'string') problems.push(found);
      else {
        const other = s.affectsGuest !== undefined ? found.find((i) => b.provisioners[i]?.type !== 'shell-local') : undefined;
        if (other !== undefined) diagnostics.push(affectsNotShellLocal(b, other, block));
        const target = out.get(b.name);
        if (target) for (const i of found) target.steps[i] = { ...target.steps[i], ...s };
        matched += found.length;
      }
    }
    // A top-level step may belong to a build -only/-except left out; a build block's may not.
    if (matched === 0 && !(filtered && where === ANY_BUILD)) diagnostics.push(noStep(selector, where, problems, block));
  };
  // Top-level steps first: a build block's own settings and steps override them.
  for (const block of top.blocks) if (block.type === 'step') applyStep(block, builds, ANY_BUILD);
  for (const block of top.blocks) {
    if (block.type !== 'build') continue;
    const label = block.labels[0] ?? '';
    const matches = builds.filter((b) => buildMatches(b, label));
    if (matches.length === 0 && !filtered) diagnostics.push(noBuild(label, builds, block));
    const inner = content(block.body, BUILD, diagnostics);
    const s = settingsOf(inner.attributes, shown, dir, diagnostics);
    for (const b of matches) Object.assign(out.get(b.name)?.base ?? {}, s);
    // Steps of a build that is not there (or left out by -only) are not checked.
    if (matches.length > 0) for (const step of inner.blocks) applyStep(step, matches, `build ${label}`);
  }
  const settings = new Map<string, BuildSideSettings>();
  for (const [name, v] of out) {
    // A build-wide ttl is each step's default; a step's own wins.
    const ttl = v.base.ttl;
    const steps = v.steps.map((s) => (s === undefined ? (ttl ? { ttl } : undefined) : { ...(ttl ? { ttl } : {}), ...s }));
    const base: StepSideSettings = { ...(v.base.off !== undefined ? { off: v.base.off } : {}), ...(v.base.bust !== undefined ? { bust: v.base.bust } : {}) };
    settings.set(name, { base, steps });
  }
  return { settings, diagnostics };
}

/** Whether a build block's label names `b`: its name (`docker.app`), or its source (`source.docker.app`, `docker.app`). */
function buildMatches(b: SideBuild, label: string): boolean {
  const source = `${b.builderType}.${b.sourceName}`;
  return label === b.name || label === source || label === `source.${source}`;
}

function content(body: Body, schema: BodySchema, diagnostics: Diagnostic[]): ReturnType<Body['content']>['content'] {
  const r = body.content(schema);
  for (const d of r.diagnostics) diagnostics.push(d.summary.startsWith('Unsupported') ? { ...d, detail: `${d.detail} ${TAKES}.` } : d);
  return r.content;
}

function settingsOf(attrs: ReadonlyMap<string, Attribute>, shown: string, dir: string, diagnostics: Diagnostic[]): Mutable {
  const s: Mutable = {};
  const at = (a: Attribute): string => `${shown}:${a.range.start.line}`;
  for (const [name, a] of attrs) {
    const r = a.expr.value(undefined);
    diagnostics.push(...r.diagnostics);
    if (r.diagnostics.length > 0) continue;
    const [v] = cty.unmarkDeep(r.value);
    const mustBe = (want: string): string => `${name} must be ${want}, not ${shownValue(v)}.`;
    const kind = v.isKnown() && !v.isNull() ? v.type.kind : 'null';
    if (name === 'cache') {
      if (kind !== 'bool') diagnostics.push(diag('Invalid cache', mustBe('true or false (cache = false: this step and every later one run on every build)'), a.expr.range));
      else if (!v.asBool()) s.off = at(a);
    } else if (name === 'bust') {
      if (kind === 'string') s.bust = v.asString();
      else if (kind === 'number') s.bust = cty.numberToString(v.asNumber());
      else diagnostics.push(diag('Invalid bust', mustBe('a string (any value: a new one makes the step miss once)'), a.expr.range));
    } else if (name === 'ttl') {
      const ms = kind === 'string' ? parseAge(v.asString()) : undefined;
      if (ms === undefined || ms <= 0) {
        diagnostics.push(diag('Invalid ttl', `${mustBe('a duration such as "30m", "24h" or "7d" (combinable: "1d12h")')} An entry of the step older than it is a miss.`, a.expr.range));
      } else s.ttl = { ms, text: v.asString(), at: at(a) };
    } else if (name === 'affects') {
      const text = kind === 'string' ? v.asString() : undefined;
      if (text === 'guest') s.affectsGuest = at(a);
      else if (text === 'host') diagnostics.push(diag('Invalid affects', 'affects = "host" (the step always runs and is keyed as the one before it) is not built yet. A shell-local step is a barrier unless kiln.hcl gives it affects = "guest" (its result lives in the machine being built) or inputs (the files it reads).', a.expr.range));
      else diagnostics.push(diag('Invalid affects', mustBe('"guest" (a shell-local step that changes the machine being built: it is keyed by its configuration and cached)'), a.expr.range));
    } else if (name === 'inputs') {
      const items = kind === 'tuple' || kind === 'list' ? v.asArray() : undefined;
      if (!items || items.some((e) => !e.isKnown() || e.isNull() || e.type.kind !== 'string' || e.asString() === '')) {
        diagnostics.push(diag('Invalid inputs', mustBe('a list of file or folder paths or globs, relative to the folder of kiln.hcl (inputs = ["files/app.tar", "roles/**"])'), a.expr.range));
      } else {
        s.inputs = items.map((e) => e.asString());
        s.inputsDir = dir;
        const elements = exprList(a.expr).value;
        s.inputs.forEach((p, i) => {
          const found = isGlob(p) ? expandGlob(dir, p) : [p];
          if (found === undefined) diagnostics.push(diag('Invalid inputs', `${JSON.stringify(p)} is not a valid glob (an unclosed [ or {, or a trailing \\). Globs are fileset()'s: *, ?, [a-z], {a,b} and ** for any number of folders.`, elements?.[i]?.range ?? a.expr.range));
          else if (found.length === 0) diagnostics.push(emptyGlob(p, elements?.[i]?.range ?? a.expr.range));
        });
      }
    }
  }
  return s;
}

/** A value as written in HCL, for messages. */
function shownValue(v: cty.Value): string {
  const k = v.type.kind;
  if (!v.isKnown() || v.isNull()) return 'null';
  if (k === 'string') return JSON.stringify(v.asString());
  if (k === 'number') return cty.numberToString(v.asNumber());
  if (k === 'bool') return String(v.asBool());
  return `a ${k}`;
}

function noBuild(label: string, builds: readonly SideBuild[], block: Block): Diagnostic {
  const names = builds.map((b) => b.name);
  const guess = nameSuggestion(label, [...names, ...builds.map((b) => `source.${b.builderType}.${b.sourceName}`)]);
  const hint = guess !== undefined ? ` Did you mean ${JSON.stringify(guess)}?` : '';
  return diag('No such build', `The template has no build ${JSON.stringify(label)}.${hint} Name a build as kiln build prints it (${names.slice(0, 4).join(', ') || 'none'}) or by its source (source.TYPE.NAME).`, block.labelRanges[0] ?? block.defRange);
}

function noStep(selector: string, where: string, problems: readonly string[], block: Block): Diagnostic {
  const why = [...new Set(problems)].join(' ');
  return diag('No such step', `${JSON.stringify(selector)} names no provisioner of ${where}. ${why} Name a step by its position (step "3", as [3/5] in kiln build's output), its type and position (step "shell#3") or its name (step "install").`.replace(/\s+/g, ' ').trim(), block.labelRanges[0] ?? block.defRange);
}

function affectsNotShellLocal(b: SideBuild, i: number, block: Block): Diagnostic {
  const detail = `affects applies to shell-local steps; step ${i + 1} of ${b.name} is a ${b.provisioners[i]?.type ?? '?'} provisioner. Guest provisioners are cached without it; for a plugin provisioner declare its inputs.`;
  return diag('Invalid affects', detail, block.labelRanges[0] ?? block.defRange);
}

function emptyGlob(pattern: string, subject: Range): Diagnostic {
  const detail = `${JSON.stringify(pattern)} matches no file under the folder of kiln.hcl, so it would key nothing and no change could ever make the step miss. Fix the pattern (globs are relative to the folder of kiln.hcl; ** spans folders: "roles/**"), or name the folder itself when the files appear only while building.`;
  return diag('Glob matches nothing', detail, subject);
}

function diag(summary: string, detail: string, subject: Range): Diagnostic {
  return { severity: 'error', summary, detail, subject };
}

/** Where the side file of a template is: `kiln.hcl` in the template's folder (the folder itself for a folder template). */
export function sideFilePath(templateDir: string): string {
  return path.join(templateDir, 'kiln.hcl');
}
