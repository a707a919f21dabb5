// kiln build's machine outputs through bin/kiln with real null builds and shell-local:
// the -json stream and -metadata-file validated against docs/schema with Ajv, a
// sensitive variable echoed by a provisioner and used in a failing step (it must appear
// in no output), GitHub Actions annotations, groups and step summary, GitLab sections,
// and -machine-readable unchanged by all of it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { interruptOnceStarted } from '../support/interrupt.js';
import { eventSchemaErrors, finishedSteps, metadataSchemaErrors, parseEventLines, validEventFile } from '../support/events-schema.js';
import { REPO_ROOT } from '../support/shared.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');
const work = mkdtempSync(path.join(tmpdir(), 'kiln-build-events-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment of a run outside any CI, whatever runs these tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PACKER_NO_COLOR: '1', XDG_STATE_HOME: path.join(work, 'state'), XDG_CONFIG_HOME: path.join(work, 'config'), ...extra };
  for (const k of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'GITLAB_CI']) if (!(k in extra)) delete env[k];
  return env;
}

function kiln(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(bin, ['build', ...args], { cwd, encoding: 'utf8', env: cleanEnv(env), timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function template(name: string, text: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), text);
  return dir;
}

const SECRET = 'Zq8-very-secret-value';
const passing = template(
  'passing',
  `source "null" "one" { communicator = "none" }
build {
  sources = ["source.null.one"]
  provisioner "shell-local" { inline = ["echo hello from one"] }
  post-processor "manifest" { output = "manifest.json" }
}
`,
);
const failing = template(
  'failing',
  `variable "token" {
  type      = string
  sensitive = true
  default   = "${SECRET}"
}
source "null" "bad" { communicator = "none" }
build {
  sources = ["source.null.bad"]
  provisioner "shell-local" { inline = ["echo token=\${var.token}"] }
  provisioner "shell-local" {
    name   = "uses-token"
    inline = ["echo \\"failing with \${var.token}\\" >&2", "exit 3"]
  }
}
`,
);
const broken = template('broken', 'source "null" "x" {\n  communicator = "none"\n  bogus = true\n}\nbuild { sources = ["source.null.x"] }\n');

type Event = Record<string, unknown>;
const ofType = (events: Event[], type: string) => events.filter((e) => e['type'] === type);

describe('kiln build -json and -metadata-file', () => {
  it('a passing build: JSON lines alone on stdout, human output on stderr, every event valid, metadata with the fingerprint kiln plan shows', () => {
    const r = kiln(['-json', '-metadata-file=meta.json', '.'], passing);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /==> null\.one: hello from one/);
    const events = parseEventLines(r.stdout);
    assert.deepEqual(eventSchemaErrors(events), []);
    assert.equal(events[0]?.['type'], 'run-started');
    assert.deepEqual(events.at(-1), { ...events.at(-1), type: 'run-finished', status: 'succeeded', exitCode: 0 });
    const steps = ofType(events, 'step-finished').map((e) => `${String(e['component'])}:${String(e['name'])}:${String(e['status'])}`);
    assert.deepEqual(steps, ['builder:StepConnect:ok', 'provisioner:shell-local:ok', 'builder:StepProvision:ok', 'post-processor:manifest:ok']);
    assert.equal(ofType(events, 'step-started').length, 4);
    assert.ok(ofType(events, 'ui').some((e) => e['text'] === 'hello from one' && e['build'] === 'null.one'));
    assert.equal(ofType(events, 'artifact').length, 2, 'the builder artifact (kept) and the manifest');
    assert.deepEqual(ofType(events, 'build-finished').map((e) => e['status']), ['succeeded']);

    const meta = JSON.parse(readFileSync(path.join(passing, 'meta.json'), 'utf8')) as { builds: Record<string, { fingerprint?: string; status: string; steps: unknown[] }> };
    assert.deepEqual(metadataSchemaErrors(meta), []);
    const build = meta.builds['null.one'];
    assert.equal(build?.status, 'succeeded');
    assert.equal(build?.steps.length, 4);
    const plan = spawnSync(bin, ['plan', '-json', '.'], { cwd: passing, encoding: 'utf8', env: cleanEnv({}) });
    assert.equal(plan.status, 0, plan.stderr);
    const planned = (JSON.parse(plan.stdout) as { builds: { name: string; fingerprint: string }[] }).builds.find((b) => b.name === 'null.one');
    assert.match(build?.fingerprint ?? '', /^[0-9a-f]{64}$/);
    assert.equal(build?.fingerprint, planned?.fingerprint);
  });

  it('a failing build with a sensitive variable: the failure in the stream and the metadata, the value in no output (GitHub on)', () => {
    const summary = path.join(work, 'summary-failing.md');
    const r = kiln(['-json=events.jsonl', '-metadata-file=meta.json', '.'], failing, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.status, 1, r.stdout);
    const jsonText = readFileSync(path.join(failing, 'events.jsonl'), 'utf8');
    const metaText = readFileSync(path.join(failing, 'meta.json'), 'utf8');
    const summaryText = readFileSync(summary, 'utf8');
    for (const [name, text] of Object.entries({ stdout: r.stdout, stderr: r.stderr, json: jsonText, metadata: metaText, summary: summaryText })) {
      assert.ok(!text.includes(SECRET), `${name} shows the secret:\n${text}`);
    }
    assert.match(r.stdout, /==> null\.bad: token=<sensitive>/, 'the human output still goes to stdout with -json=FILE');
    const events = parseEventLines(jsonText);
    assert.deepEqual(eventSchemaErrors(events), []);
    assert.ok(ofType(events, 'ui').some((e) => e['text'] === 'token=<sensitive>'));
    assert.ok(ofType(events, 'ui').some((e) => String(e['text']).includes('failing with <sensitive>')));
    const failed = ofType(events, 'step-finished').find((e) => e['name'] === 'uses-token');
    assert.equal(failed?.['status'], 'failed');
    assert.match(String(failed?.['error']), /non-zero exit status: 3/);
    const finished = ofType(events, 'build-finished')[0];
    assert.equal(finished?.['status'], 'failed');
    assert.equal((finished?.['error'] as Event)['code'], 'BUILD_SCRIPT_EXIT_STATUS');
    assert.deepEqual(events.at(-1), { ...events.at(-1), type: 'run-finished', status: 'failed', exitCode: 1 });
    const meta = JSON.parse(metaText) as { status: string; builds: Record<string, { status: string; error?: { code: string } }> };
    assert.deepEqual(metadataSchemaErrors(meta), []);
    assert.equal(meta.status, 'failed');
    assert.equal(meta.builds['null.bad']?.error?.code, 'BUILD_SCRIPT_EXIT_STATUS');
    assert.match(r.stdout, /^::error title=Build 'null\.bad' errored::Script exited with non-zero exit status: 3/m);
    assert.match(summaryText, /^\| `null\.bad` \| ❌ failed \| .+ \| — \|$/m);
  });
});

describe('kiln build -json when interrupted', () => {
  it('on SIGINT: the running step and the build are cancelled, the stream ends with run-finished, the metadata is written', async () => {
    const marker = path.join(work, 'sigint-started');
    const dir = template(
      'sigint',
      `source "null" "x" { communicator = "none" }
build {
  sources = ["source.null.x"]
  provisioner "shell-local" { inline = ["touch ${marker}", "sleep 30"] }
}
`,
    );
    const child = spawn(bin, ['build', '-json=events.jsonl', '-metadata-file=meta.json', '.'], { cwd: dir, env: cleanEnv({}) });
    const { code, out } = await interruptOnceStarted(child, marker);
    assert.equal(code, 1, out);
    const events = validEventFile(path.join(dir, 'events.jsonl'));
    assert.ok(finishedSteps(events).includes('provisioner:shell-local:cancelled'), finishedSteps(events).join(' '));
    assert.equal(events.find((e) => e['type'] === 'build-finished')?.['status'], 'cancelled');
    assert.deepEqual(events.at(-1), { ...events.at(-1), status: 'cancelled', exitCode: 1 });
    const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { status: string };
    assert.deepEqual(metadataSchemaErrors(meta), []);
    assert.equal(meta.status, 'cancelled');
  });
});

describe('kiln build on CI', () => {
  it('GitHub Actions: a template error is an annotation naming file and line; the step summary gets a table', () => {
    const summary = path.join(work, 'summary-broken.md');
    const r = kiln(['.'], broken, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^::error file=build\.pkr\.hcl,line=3,endLine=3,col=3,endColumn=8,title=Unsupported argument \[HCL_UNSUPPORTED_ARGUMENT\]::An argument named "bogus" is not expected here\.$/m);
    assert.match(r.stdout, /Error: Unsupported argument/, 'the human diagnostic is still printed');
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /^### kiln build \.$/m);
    assert.match(text, /^\| Severity \| Where \| Problem \| Code \|$/m);
    assert.match(text, /^\| error \| build\.pkr\.hcl:3 \| Unsupported argument \| `HCL_UNSUPPORTED_ARGUMENT` \|$/m);
  });

  it("GitHub Actions: each step's lines in a ::group::, the summary table lists the build", () => {
    const summary = path.join(work, 'summary-passing.md');
    const r = kiln(['.'], passing, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^::group::null\.one: provisioner shell-local\n==> null\.one: Running local shell script: .+\n==> null\.one: hello from one\n::endgroup::$/m);
    assert.equal(r.stdout.match(/^::group::/gm)?.length, r.stdout.match(/^::endgroup::$/gm)?.length);
    assert.match(readFileSync(summary, 'utf8'), /^\| `null\.one` \| ✅ succeeded \| .+ \| Null<br>Null \|$/m);
  });

  it('GitLab CI: collapsible sections around each step', () => {
    const r = kiln(['.'], passing, { GITLAB_CI: 'true' });
    assert.equal(r.status, 0, r.stdout);
    const k = String.raw`\u001b\[0K`;
    const section = new RegExp(
      String.raw`${k}section_start:\d+:kiln_step_(\d+)\[collapsed=true\]\r${k}null\.one: provisioner shell-local\n==> null\.one: Running local shell script: .+\n==> null\.one: hello from one\n${k}section_end:\d+:kiln_step_\1\r${k}\n`,
    );
    assert.match(r.stdout, section);
    assert.doesNotMatch(r.stdout, /::error|::group/);
  });

  it('-machine-readable is the same with GITHUB_ACTIONS=true and -json=FILE as without (timestamps and temp paths aside)', () => {
    const norm = (s: string) => s.replaceAll(/^\d+,/gm, 'T,').replaceAll(/kiln-run-[0-9a-f]+\/packer-shell\d+/g, 'SCRIPT').replaceAll(/\d+ (milliseconds|microseconds)/g, 'D');
    const plain = kiln(['-machine-readable', '.'], failing);
    const withAll = kiln(['-machine-readable', '-json=mr.jsonl', '.'], failing, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(work, 'mr.md') });
    assert.equal(plain.status, 1);
    assert.equal(withAll.status, 1);
    assert.equal(norm(withAll.stdout), norm(plain.stdout));
    assert.match(plain.stdout, /^\d+,null\.bad,ui,say,token=<sensitive>$/m);
    assert.deepEqual(eventSchemaErrors(parseEventLines(readFileSync(path.join(failing, 'mr.jsonl'), 'utf8'))), []);
  });
});
