/**
 * Suite `fix`: `kiln fix` against `packer fix` (Packer 1.6.6, installed here, has the
 * 34 fixers of 1.16 with the same behaviour) on every legacy JSON template of
 * ../shared/conformance/packer-templates and on generated inputs: each fixer case of
 * test/support/fix-cases.ts (also with a `type` added to builders that have none,
 * since Packer's comm-config fixer crashes on those) and the edge templates. Each input
 * runs with and without `-validate=false`; a vector passes when the exit code and the
 * standard output are identical. Inputs on which Packer crashes (a Go panic, exit 2)
 * are skipped, and kiln must then fail with exit 1 and a message instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EDGE_TEMPLATES, FIXER_CASES } from '../support/fix-cases.js';
import { main } from '../../src/commands/main.js';
import { sharedPath } from '../support/shared.js';
import type { Suite, SuiteResult } from './suite.js';

type Obj = Record<string, unknown>;

function legacyJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...legacyJsonFiles(full));
    else if (name.endsWith('.json') && !name.endsWith('.pkr.json') && name !== 'index.json') out.push(full);
  }
  return out;
}

/** The case input with `type: "null"` given to builders that have no type. */
function typed(input: Obj): Obj | undefined {
  const builders = input['builders'];
  if (!Array.isArray(builders) || builders.every((b) => typeof b !== 'object' || b === null || 'type' in b)) return undefined;
  return { ...input, builders: builders.map((b: unknown) => (typeof b === 'object' && b !== null && !('type' in b) ? { type: 'null', ...b } : b)) };
}

function generated(dir: string): string[] {
  const inputs: Obj[] = [];
  for (const c of FIXER_CASES) {
    inputs.push(c.input);
    const t = typed(c.input);
    if (t !== undefined) inputs.push(t);
  }
  inputs.push(...EDGE_TEMPLATES);
  return inputs.map((input, i) => {
    const p = path.join(dir, `generated-${String(i).padStart(3, '0')}.json`);
    writeFileSync(p, `${JSON.stringify(input, null, 2)}\n`);
    return p;
  });
}

/** `kiln fix` run in this process through the CLI entry point (everything it prints goes to stdout). */
async function kilnFix(args: readonly string[], cwd: string): Promise<{ status: number; stdout: string }> {
  let stdout = '';
  const status = await main([...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t), env: process.env, cwd });
  return { status, stdout };
}

export const fixSuite: Suite = {
  name: 'fix',
  async run(): Promise<SuiteResult> {
    const probe = spawnSync('packer', ['version'], { encoding: 'utf8' });
    if (probe.status !== 0 || !probe.stdout.startsWith('Packer v1.6.6')) {
      throw new Error(`the fix suite needs Packer 1.6.6 as \`packer\` on PATH (apt-get install packer); got: ${probe.stdout}${probe.stderr}`);
    }
    const work = mkdtempSync(path.join(tmpdir(), 'kiln-fix-'));
    let passed = 0, failed = 0, skipped = 0;
    const failures: string[] = [];
    try {
      const files = [...legacyJsonFiles(sharedPath('conformance', 'packer-templates')), ...generated(work)];
      for (const file of files) {
        for (const flags of [[], ['-validate=false']]) {
          const args = ['fix', ...flags, path.basename(file)];
          const cwd = path.dirname(file);
          // Packer writes crash.log in its working directory; run it in ours.
          const packer = spawnSync('packer', [...args.slice(0, -1), file], { cwd: work, encoding: 'utf8', env: { ...process.env, PACKER_LOG: '', CHECKPOINT_DISABLE: '1' } });
          const kiln = await kilnFix(args, cwd);
          const label = `${path.relative(work, file).startsWith('..') ? file : path.basename(file)} ${flags.join(' ')}`;
          if (packer.status === 2 && /PACKER CRASH|panic:/.test(packer.stdout + packer.stderr)) {
            if (kiln.status === 1) skipped++;
            else {
              failed++;
              failures.push(`${label}: packer crashes; kiln should exit 1, exited ${kiln.status}`);
            }
            continue;
          }
          const packerOut = packer.stdout.replaceAll(file, path.basename(file));
          if (packer.status === kiln.status && packerOut === kiln.stdout) passed++;
          else {
            failed++;
            failures.push(`${label}: packer exit ${packer.status} ${JSON.stringify(packerOut.slice(0, 300))}, kiln exit ${kiln.status} ${JSON.stringify(kiln.stdout.slice(0, 300))}`);
          }
        }
      }
      rmSync(path.join(work, 'crash.log'), { force: true });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return { passed, failed, skipped, failures };
  },
};
