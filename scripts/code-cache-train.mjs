#!/usr/bin/env node
/**
 * `node scripts/code-cache-train.mjs DIST [FINAL]`: records V8's code cache for a freshly
 * built dist/ (called by scripts/build.mjs), under the path DIST will be renamed to
 * (FINAL, default DIST: V8 keeps the recorded script names for stack traces). It loads DIST through bin/code-cache.cjs in
 * recording mode, runs kiln's common read-only commands in this one process — version,
 * help, fmt, validate (syntax-only and full), inspect — over examples/ and a template
 * shaped like real ones (typed variables, locals calling functions, heredocs, template
 * directives, for expressions, dynamic blocks), and `build` of examples/hello, then
 * writes DIST/v8-cache/<file>.v8 for every file loaded: the bytecode of every function
 * those commands ran, which bin/kiln then skips compiling. Nothing it runs touches the
 * network; the build's one process is the `sh` of hello's shell-local step, and its
 * ledger, temporary files and manifest stay in the run's temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const finalDist = path.resolve(process.argv[3] ?? dist);
const require = createRequire(import.meta.url);
const cache = require(path.join(root, 'bin', 'code-cache.cjs'));

const TEMPLATE = `
packer {
  required_version = ">= 1.7.0"
}

variable "image_os" {
  type    = string
  default = "ubuntu22"
}

variable "sizes" {
  type        = map(number)
  default     = { small = 1, large = 4 }
  description = "Machine sizes."
}

variable "tags" {
  type      = list(object({ key = string, value = string }))
  default   = [{ key = "a", value = "b" }]
  sensitive = false
}

variable "enabled" {
  type    = bool
  default = true
  validation {
    condition     = var.enabled == true || var.enabled == false
    error_message = "The enabled value must be a boolean."
  }
}

locals {
  timestamp  = regex_replace(timestamp(), "[- TZ:]", "")
  image_name = "\${var.image_os}-\${local.timestamp}"
  folders    = { for k, v in var.sizes : k => "/opt/\${k}/\${v * 2}" if v > 0 }
  joined     = join(",", [for t in var.tags : upper(t.key)])
  picked     = lookup({ ubuntu22 = "22.04", ubuntu24 = "24.04" }, var.image_os, "none")
  script     = <<-EOT
    #!/bin/sh
    %{ for k, v in var.sizes ~}
    echo \${k}=\${v}
    %{ endfor ~}
    %{ if var.enabled }echo on%{ else }echo off%{ endif }
  EOT
  numbers    = [for i in range(3) : i + length(local.joined) > 2 ? i : -i]
  merged     = merge(var.sizes, { extra = 2 })
  encoded    = jsonencode({ a = [1, 2], b = "c" })
}

source "null" "one" {
  communicator = "none"
}

build {
  name    = "train"
  sources = ["source.null.one"]

  provisioner "shell-local" {
    inline           = ["echo \${local.image_name}", "echo \${local.picked}"]
    environment_vars = ["A=\${upper(var.image_os)}", "B=\${local.encoded}"]
  }

  provisioner "shell-local" {
    only   = ["null.one"]
    inline = [local.script]
  }

  dynamic "provisioner" {
    for_each = []
    labels   = ["shell-local"]
    content {
      inline = ["echo"]
    }
  }

  post-processor "manifest" {
    output = "manifest.json"
  }
}
`;

const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-code-cache-'));
try {
  const template = path.join(work, 'train.pkr.hcl');
  writeFileSync(template, TEMPLATE);
  // An entry in the plugin folder (no plugin in it): the registry then loads and runs
  // plugin discovery (a folder walk, no process), so its code is cached for users with plugins.
  mkdirSync(path.join(work, 'plugins', 'example.com'), { recursive: true });
  const { main } = cache.load(dist, 'main.js', { record: true, scriptDir: finalDist });
  const io = { stdout: () => {}, stderr: () => {}, env: { ...process.env, PACKER_LOG: '', PACKER_PLUGIN_PATH: path.join(work, 'plugins') }, cwd: work };
  const hello = path.join(root, 'examples', 'hello');
  const quickstart = path.join(root, 'examples', 'quickstart');
  const runs = [
    ['version'],
    ['--help'],
    ['validate', '--help'],
    ['fmt', '-check', template],
    ['fmt', '-check', hello],
    ['validate', '-syntax-only', template],
    ['validate', '-syntax-only', hello],
    ['validate', template],
    ['validate', quickstart],
    ['inspect', template],
  ];
  for (const argv of runs) {
    const code = await main(argv, io);
    if (code !== 0 && argv[0] !== '--help') process.stderr.write(`code-cache-train: kiln ${argv.join(' ')} exited ${code}\n`);
  }
  // A build: examples/hello's null source, shell-local step and manifest, with its run
  // ledger and the manifest inside the work folder.
  const buildIo = { ...io, env: { ...io.env, XDG_STATE_HOME: path.join(work, 'state') } };
  const code = await main(['build', hello], buildIo);
  if (code !== 0) process.stderr.write(`code-cache-train: kiln build ${hello} exited ${code}\n`);
  process.stdout.write(`code-cache-train: ${cache.writeCaches()} files\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
