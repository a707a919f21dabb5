// The CI examples of docs/ci.md, run here as the CI engines would run their steps
// (GitHub and GitLab cannot be reached from the test machines): the planning step's own
// shell text, with `kiln` on PATH, turns `kiln plan -json` into the matrix; each matrix
// entry's build command, as the engine substitutes it, builds exactly that build with
// its -metadata-file; the collecting step merges the documents. Null builds with a
// shell-local step keep it quick.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/shared.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'kiln-plan-ci-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// `kiln` on PATH, as `npm install --global kiln` leaves it.
const bin = path.join(tmp, 'bin');
mkdirSync(bin);
writeFileSync(path.join(bin, 'kiln'), `#!/bin/sh\nexec ${JSON.stringify(path.join(REPO_ROOT, 'bin', 'kiln'))} "$@"\n`);
chmodSync(path.join(bin, 'kiln'), 0o755);

function project(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'build.pkr.hcl'),
    `
variable "token" {
  type      = string
  default   = "ci-s3cret"
  sensitive = true
}
source "null" "alpha" {
  communicator = "none"
}
source "null" "beta" {
  communicator = "none"
}
build {
  name    = "images"
  sources = ["source.null.alpha", "source.null.beta"]
  provisioner "shell-local" {
    environment_vars = ["TOKEN=\${var.token}"]
    inline           = ["echo building \${source.name}"]
  }
}
`,
  );
  return dir;
}

const BUILDS = ['images.null.alpha', 'images.null.beta'];

/** Runs `script` as the CI engine's shell does (bash, -e, pipefail) in `cwd`. */
function sh(script: string, cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, PACKER_LOG: '', XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_STATE_HOME: path.join(tmp, 'state'), ...env },
  });
  assert.equal(r.status, 0, `${script}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** `${{ expr }}` of a GitHub workflow replaced from `values`; an unknown expression fails the test. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const v = values[expr];
    assert.ok(v !== undefined, `unexpected expression ${expr}`);
    return v;
  });
}

interface Step {
  id?: string;
  name?: string;
  run?: string;
}

describe('docs/ci.md: GitHub Actions', () => {
  const wf = parse(readFileSync(path.join(REPO_ROOT, 'examples', 'ci', 'github-actions.yml'), 'utf8')) as {
    env: Record<string, string>;
    jobs: Record<string, { steps: Step[]; strategy?: { matrix: string }; outputs?: Record<string, string> }>;
  };
  const dir = project('github');
  const env = { ...wf.env };

  it('the plan step makes a matrix with one job per build', () => {
    const plan = wf.jobs['plan']?.steps.find((s) => s.id === 'plan');
    assert.ok(plan?.run);
    const out = path.join(tmp, 'github-output');
    writeFileSync(out, '');
    sh(plan.run, dir, { ...env, GITHUB_OUTPUT: out });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const [name, value] = [lines[0]?.slice(0, lines[0].indexOf('=')), lines[0]?.slice(lines[0].indexOf('=') + 1)];
    assert.equal(name, 'matrix');
    assert.equal(wf.jobs['plan']?.outputs?.['matrix'], '${{ steps.plan.outputs.matrix }}');
    assert.equal(wf.jobs['build']?.strategy?.matrix, '${{ fromJSON(needs.plan.outputs.matrix) }}');
    assert.deepEqual(JSON.parse(value ?? ''), { build: BUILDS });
  });

  it('each matrix job builds only its build, and collect merges their metadata', () => {
    const build = wf.jobs['build']?.steps.find((s) => s.name === 'Build');
    assert.ok(build?.run);
    BUILDS.forEach((b, i) => {
      const cmd = substitute(build.run ?? '', { 'matrix.build': b, 'strategy.job-index': String(i) });
      const text = sh(cmd, dir, env);
      assert.match(text, new RegExp(`Build '${b.replaceAll('.', '\\.')}' finished`));
      for (const other of BUILDS.filter((o) => o !== b)) assert.ok(!text.includes(`Build '${other}'`), text);
    });
    const collect = wf.jobs['collect']?.steps.find((s) => s.name === "Merge the builds' metadata");
    assert.ok(collect?.run);
    sh(collect.run, dir, env);
    const merged = JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as { builds: Record<string, { status: string; fingerprint?: string }> };
    assert.deepEqual(Object.keys(merged.builds).sort(), BUILDS);
    for (const b of BUILDS) assert.equal(merged.builds[b]?.status, 'succeeded', JSON.stringify(merged));
    // Each build's metadata carries the fingerprint the plan showed for it.
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { builds: { name: string; fingerprint: string }[] };
    for (const p of plan.builds) assert.equal(merged.builds[p.name]?.fingerprint, p.fingerprint, p.name);
  });
});

describe('docs/ci.md: GitLab CI', () => {
  const ci = parse(readFileSync(path.join(REPO_ROOT, 'examples', 'ci', 'gitlab-ci.yml'), 'utf8')) as {
    variables: Record<string, string>;
    plan: { script: string[] };
    builds: { trigger: { include: { artifact: string; job: string }[] } };
  };
  const dir = project('gitlab');

  it('the plan job writes a child pipeline whose parallel matrix has one job per build, which build and collect', () => {
    sh(ci.plan.script.join('\n'), dir, ci.variables);
    assert.deepEqual(ci.builds.trigger.include, [{ artifact: 'builds.yml', job: 'plan' }]);
    const child = parse(readFileSync(path.join(dir, 'builds.yml'), 'utf8')) as {
      build: { parallel: { matrix: { BUILD: string[] }[] }; script: string[] };
      collect: { script: string[]; needs: string[] };
      stages: string[];
    };
    assert.deepEqual(child.build.parallel.matrix, [{ BUILD: BUILDS }]);
    assert.deepEqual(child.stages, ['build', 'collect']);
    BUILDS.forEach((b, i) => {
      // GitLab numbers parallel jobs from 1 (CI_NODE_INDEX).
      const text = sh(child.build.script.join('\n'), dir, { BUILD: b, CI_NODE_INDEX: String(i + 1) });
      assert.match(text, new RegExp(`Build '${b.replaceAll('.', '\\.')}' finished`));
    });
    sh(child.collect.script.join('\n'), dir);
    const merged = JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as { builds: Record<string, { status: string }> };
    assert.deepEqual(Object.keys(merged.builds).sort(), BUILDS);
  });
});
