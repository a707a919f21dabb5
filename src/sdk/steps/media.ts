/**
 * Packer's StepCreateCD and StepCreateFloppy: `cd_files`/`cd_content` become an ISO
 * made with xorriso (or genisoimage/mkisofs), `floppy_files`/`floppy_dirs`/
 * `floppy_content` a 1.44 MB FAT12 image made with mtools. Both live in a temp folder
 * removed at cleanup.
 */
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Infer } from '../schema/index.js';
import { list, map, str } from '../schema/index.js';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import type { Ui } from '../ui.js';

/** Runs a tool; node:child_process is loaded when a build makes a CD or floppy, not by validate. */
const run = (file: string, args: readonly string[]): Promise<unknown> => promisify(process.getBuiltinModule('node:child_process').execFile)(file, args);

export const cdConfigSchema = {
  cd_files: list(str()).localPath().doc('Files and folders put on a CD attached to the machine (folders keep their name unless they end in `/`).'),
  cd_content: map(str()).doc('Paths on the CD and their contents.'),
  cd_label: str().doc('The CD\'s volume label, e.g. `cidata` for cloud-init.'),
};
export const floppyConfigSchema = {
  floppy_files: list(str()).localPath().doc('Files put at the root of a floppy attached to the machine.'),
  floppy_dirs: list(str()).localPath().doc('Folders copied, with their contents, onto the floppy.'),
  floppy_content: map(str()).doc('Paths on the floppy and their contents.'),
  floppy_label: str().doc('The floppy\'s volume label; default `packer`.'),
};
export type CdConfig = Infer<typeof cdConfigSchema>;
export type FloppyConfig = Infer<typeof floppyConfigSchema>;

/** Copies `files` (a trailing `/` copies a folder's contents) and `content` into `dir`. */
async function stage(dir: string, files: readonly string[], content: Readonly<Record<string, string>>): Promise<void> {
  for (const f of files) {
    const st = await stat(f).catch(() => undefined);
    if (!st) throw new Error(`${f}: no such file or directory`);
    const dest = st.isDirectory() && !f.endsWith('/') ? path.join(dir, path.basename(f)) : st.isDirectory() ? dir : path.join(dir, path.basename(f));
    await cp(f, dest, { recursive: true });
  }
  for (const [p, text] of Object.entries(content)) {
    const dest = path.join(dir, p);
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, text);
  }
}

async function isoTool(): Promise<string> {
  for (const tool of ['xorriso', 'genisoimage', 'mkisofs']) {
    if (await run('sh', ['-c', `command -v ${tool}`]).then(() => true, () => false)) return tool;
  }
  throw new Error('cd_files/cd_content need xorriso (apt-get install xorriso), genisoimage or mkisofs');
}

export function stepCreateCd<S extends { readonly ui: Ui }>(c: CdConfig, onPath: (state: S, iso: string) => void): Step<S> {
  let tmp: string | undefined;
  return {
    name: 'StepCreateCD',
    async run(state) {
      if ((c.cd_files ?? []).length === 0 && Object.keys(c.cd_content ?? {}).length === 0) return CONTINUE;
      state.ui.say('Creating CD disk...');
      try {
        tmp = await mkdtemp(path.join(os.tmpdir(), 'kiln-cd-'));
        const root = path.join(tmp, 'root');
        await mkdir(root);
        await stage(root, c.cd_files ?? [], c.cd_content ?? {});
        const iso = path.join(tmp, 'cd.iso');
        const tool = await isoTool();
        const label = c.cd_label ?? '';
        const args = [...(tool === 'xorriso' ? ['-as', 'genisoimage'] : []), '-rock', '-joliet', ...(label ? ['-volid', label] : []), '-output', iso, root];
        await run(tool, args);
        onPath(state, iso);
        return CONTINUE;
      } catch (err) {
        return halt(`Error creating CD: ${(err as Error).message}`);
      }
    },
    async cleanup() {
      if (tmp) await rm(tmp, { recursive: true, force: true });
      tmp = undefined;
    },
  };
}

export function stepCreateFloppy<S extends { readonly ui: Ui }>(c: FloppyConfig, onPath: (state: S, img: string) => void): Step<S> {
  let tmp: string | undefined;
  return {
    name: 'StepCreateFloppy',
    async run(state) {
      const dirs = c.floppy_dirs ?? [];
      if ((c.floppy_files ?? []).length === 0 && dirs.length === 0 && Object.keys(c.floppy_content ?? {}).length === 0) return CONTINUE;
      state.ui.say('Creating floppy disk...');
      try {
        tmp = await mkdtemp(path.join(os.tmpdir(), 'kiln-floppy-'));
        const root = path.join(tmp, 'root');
        await mkdir(root);
        await stage(root, [...(c.floppy_files ?? []), ...dirs.map((d) => d.replace(/\/+$/, ''))], c.floppy_content ?? {});
        const img = path.join(tmp, 'floppy.img');
        await run('mformat', ['-C', '-f', '1440', '-v', c.floppy_label || 'packer', '-i', img, '::']);
        const entries = (await readdir(root)).map((e) => path.join(root, e));
        if (entries.length > 0) await run('mcopy', ['-s', '-i', img, ...entries, '::/']);
        onPath(state, img);
        return CONTINUE;
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return halt(e.code === 'ENOENT' ? 'floppy_files need mtools (apt-get install mtools)' : `Error creating floppy: ${e.message}`);
      }
    },
    async cleanup() {
      if (tmp) await rm(tmp, { recursive: true, force: true });
      tmp = undefined;
    },
  };
}
