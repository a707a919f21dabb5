/**
 * Packer's StepDownload for `iso_url`/`iso_urls`: a local path (or `file://` URL) is
 * used in place after its checksum is checked; a remote URL is downloaded with progress
 * into the cache (`PACKER_CACHE_DIR`, default `packer_cache` in the working directory)
 * under a name derived from the URL and checksum, verified, and only then renamed to
 * its final name, so a failed or wrong download never poisons the cache.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import type { Ui } from '../ui.js';
import type { Checksum } from './checksum.js';
import { checksumMismatch, hashFile, parseChecksum, resolveChecksumFile } from './checksum.js';

export interface DownloadOptions<S> {
  readonly urls: readonly string[];
  readonly checksum: string;
  /** What is downloaded, for messages: `ISO`. */
  readonly description: string;
  /** File extension of the cached copy (`iso`); default: the URL's. */
  readonly extension?: string;
  /** Receives the local path of the verified file. */
  readonly onPath: (state: S, file: string) => void;
}

/** The cache folder: `PACKER_CACHE_DIR`, or `packer_cache` in the working directory. */
export function cacheDir(): string {
  return path.resolve(process.env['PACKER_CACHE_DIR'] || 'packer_cache');
}

export function stepDownload<S extends { readonly ui: Ui }>(opts: DownloadOptions<S>): Step<S> {
  return {
    name: 'StepDownload',
    async run(state, signal) {
      const checksum = parseChecksum(opts.checksum);
      if (typeof checksum === 'string') return halt(checksum);
      const errors: string[] = [];
      for (const url of opts.urls) {
        try {
          const file = await fetchOne(url, checksum, opts, state.ui, signal);
          opts.onPath(state, file);
          return CONTINUE;
        } catch (err) {
          if (signal.aborted) return halt('Download cancelled.');
          const message = (err as Error).message;
          state.ui.error(`Error downloading ${opts.description}: ${message}`);
          errors.push(message);
        }
      }
      return halt(`${opts.description} download failed:\n${errors.join('\n')}`);
    },
  };
}

function localPath(url: string): string | undefined {
  if (url.startsWith('file://')) return decodeURIComponent(new URL(url).pathname);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  return path.resolve(url);
}

async function verify(file: string, checksum: Checksum, url: string, ui: Ui, signal: AbortSignal): Promise<void> {
  if (checksum.kind === 'none') return;
  const c = checksum.kind === 'file' ? await resolveChecksumFile(checksum, url, signal) : checksum;
  ui.message(`Verifying ${c.type} checksum of ${path.basename(file)}...`);
  const actual = await hashFile(file, c.type, signal);
  if (actual !== c.hex) throw new Error(checksumMismatch(file, c, actual));
}

async function fetchOne<S>(url: string, checksum: Checksum, opts: DownloadOptions<S>, ui: Ui, signal: AbortSignal): Promise<string> {
  const local = localPath(url);
  if (local !== undefined) {
    const st = await stat(local).catch(() => undefined);
    if (!st?.isFile()) throw new Error(`${local}: no such file`);
    ui.say(`Using ${opts.description} in place: ${local}`);
    await verify(local, checksum, url, ui, signal);
    return local;
  }
  const ext = opts.extension ?? (path.extname(new URL(url).pathname).slice(1) || 'bin');
  const key = createHash('sha1').update(checksum.kind === 'digest' ? checksum.hex : url).digest('hex');
  const dir = cacheDir();
  const final = path.join(dir, `${key}.${ext}`);
  if (existsSync(final)) {
    ui.say(`Using cached ${opts.description}: ${final}`);
    // A cached file was verified before its rename; re-check only what the name cannot promise.
    if (checksum.kind !== 'digest') await verify(final, checksum, url, ui, signal);
    return final;
  }
  await mkdir(dir, { recursive: true });
  const part = `${final}.part-${process.pid}`;
  try {
    ui.say(`Downloading ${opts.description} from ${url}`);
    await download(url, part, ui, signal, opts.description);
    await verify(part, checksum, url, ui, signal);
    await rename(part, final);
    ui.say(`${opts.description} saved to ${final}`);
    return final;
  } finally {
    await rm(part, { force: true });
  }
}

async function download(url: string, to: string, ui: Ui, signal: AbortSignal, label: string): Promise<void> {
  const res = await fetch(url, { signal });
  if (!res.ok || !res.body) throw new Error(`GET ${url}: HTTP ${res.status} ${res.statusText}`);
  const total = Number(res.headers.get('content-length') ?? 0);
  let got = 0;
  let nextReport = 0;
  const started = Date.now();
  const progress = new Transform({
    transform(chunk: Buffer, _enc, done) {
      got += chunk.length;
      const now = Date.now();
      if (now >= nextReport) {
        nextReport = now + 2000;
        const mb = (n: number) => (n / 1048576).toFixed(1);
        const rate = got / Math.max(0.001, (now - started) / 1000);
        ui.progress?.({ label, current: got, unit: 'bytes', ...(total > 0 ? { total } : {}) });
        ui.message(total > 0 ? `${mb(got)} / ${mb(total)} MiB (${Math.floor((got / total) * 100)}%, ${mb(rate)} MiB/s)` : `${mb(got)} MiB (${mb(rate)} MiB/s)`);
      }
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), progress, createWriteStream(to), { signal });
  ui.progress?.({ label, current: got, total: got, unit: 'bytes' });
}
