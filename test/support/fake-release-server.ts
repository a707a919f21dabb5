/**
 * A local HTTP server answering like HashiCorp's releases service and GitHub (the tags
 * API and release downloads), laid out as kiln's `KILN_PLUGIN_MIRROR` expects. It
 * serves zips, made with the `zip` tool, of fake plugin scripts (fake-plugin.ts). This
 * stands in for the internet, which tests cannot reach.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakePluginSpec } from './fake-plugin.js';
import { fakePluginScript, sha256Of, writeExecutable } from './fake-plugin.js';

export interface FakeRelease {
  /** `github.com/<ns>/<name>`. */
  readonly source: string;
  /** The release version (without `v`). */
  readonly version: string;
  /** What the binary's `describe` says; version and API default to the release's. */
  readonly describe?: Partial<FakePluginSpec>;
  /** API version in the asset names; default `x5.0`. */
  readonly apiVersion?: string;
  /** Also published on the releases service (official plugins). */
  readonly official?: boolean;
  /** The SHA256SUMS line for the zip says this instead of the real digest. */
  readonly wrongChecksum?: boolean;
  /** The zip download stops after half its bytes (Content-Length promises all). */
  readonly cutDownload?: boolean;
  /** The zip download sends half its bytes, then nothing more until the client goes. */
  readonly stallDownload?: boolean;
  /** OS/arch the asset is built for; default this host's. */
  readonly platform?: { os: string; arch: string };
}

interface Built {
  readonly release: FakeRelease;
  readonly ghZip: string;
  readonly ghZipData: Buffer;
  readonly officialZip: string;
  readonly officialZipData: Buffer;
}

function zipOf(dir: string, fileName: string, text: string): Buffer {
  const work = mkdtempSync(path.join(dir, 'zip-'));
  writeExecutable(path.join(work, fileName), text);
  execFileSync('zip', ['-q', '-X', 'out.zip', fileName], { cwd: work });
  return readFileSync(path.join(work, 'out.zip'));
}

export class FakeReleaseServer {
  readonly requests: { path: string; authorization?: string }[] = [];
  /** The GitHub API answers 403 with exhausted rate-limit headers. */
  rateLimited = false;
  private readonly releases: Built[] = [];
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'kiln-release-server-'));
  private server?: http.Server;
  private base = '';

  constructor(private readonly host: { os: string; arch: string }) {}

  /** The value for KILN_PLUGIN_MIRROR. */
  get url(): string {
    return this.base;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Publishes a release. */
  add(release: FakeRelease): this {
    const name = release.source.split('/')[2]!;
    const plat = release.platform ?? this.host;
    const api = release.apiVersion ?? 'x5.0';
    const binaryName = `packer-plugin-${name}_v${release.version}_${api}_${plat.os}_${plat.arch}`;
    const script = fakePluginScript({ version: release.version, apiVersion: api, builders: ['-packer-default-plugin-name-'], ...release.describe });
    const data = zipOf(this.dir, binaryName, script);
    this.releases.push({
      release,
      ghZip: `${binaryName}.zip`,
      ghZipData: data,
      officialZip: `packer-plugin-${name}_${release.version}_${plat.os}_${plat.arch}.zip`,
      officialZipData: data,
    });
    return this;
  }

  private of(ns: string | undefined, name: string): Built[] {
    return this.releases.filter((b) => {
      const [, n, p] = b.release.source.split('/');
      return p === name && (ns === undefined || n === ns);
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = decodeURIComponent(url.pathname);
    this.requests.push({ path: p, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const send = (data: Buffer | string, release?: FakeRelease) => {
      const buf = Buffer.from(data);
      res.writeHead(200, { 'content-length': String(buf.length), 'content-type': 'application/octet-stream' });
      if (release?.cutDownload) res.write(buf.subarray(0, buf.length >> 1), () => res.destroy());
      else if (release?.stallDownload) res.write(buf.subarray(0, buf.length >> 1));
      else res.end(buf);
    };
    let m: RegExpExecArray | null;
    if ((m = /^\/releases\.hashicorp\.com\/packer-plugin-([^/]+)\/index\.json$/.exec(p))) {
      const list = this.of('hashicorp', m[1]!).filter((b) => b.release.official);
      if (list.length === 0) return json(404, { message: 'Not Found' });
      return json(200, { name: `packer-plugin-${m[1]}`, versions: Object.fromEntries(list.map((b) => [b.release.version, { name: `packer-plugin-${m![1]}`, version: b.release.version }])) });
    }
    if ((m = /^\/releases\.hashicorp\.com\/packer-plugin-([^/]+)\/([^/]+)\/(.+)$/.exec(p))) {
      const b = this.of('hashicorp', m[1]!).find((x) => x.release.official && x.release.version === m![2]);
      if (!b) return json(404, { message: 'Not Found' });
      const file = m[3]!;
      if (file.endsWith('_SHA256SUMS')) return send(`${b.release.wrongChecksum ? sha256Of('tampered') : sha256Of(b.officialZipData)}  ${b.officialZip}\n`);
      if (file.endsWith('_manifest.json')) return json(200, { version: 1, metadata: { protocol_version: (b.release.apiVersion ?? 'x5.0').slice(1) } });
      if (file === b.officialZip) return send(b.officialZipData, b.release);
      return json(404, { message: 'Not Found' });
    }
    if ((m = /^\/api\.github\.com\/repos\/([^/]+)\/packer-plugin-([^/]+)\/git\/matching-refs\/tags$/.exec(p))) {
      if (this.rateLimited) {
        return json(403, { message: 'API rate limit exceeded for 127.0.0.1.' }, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) });
      }
      const list = this.of(m[1], m[2]!);
      if (list.length === 0) return json(404, { message: 'Not Found' });
      return json(200, [...list.map((b) => ({ ref: `refs/tags/v${b.release.version}` })), { ref: 'refs/tags/nightly' }]);
    }
    if ((m = /^\/github\.com\/([^/]+)\/packer-plugin-([^/]+)\/releases\/download\/v([^/]+)\/(.+)$/.exec(p))) {
      // GitHub redirects asset downloads to its object store.
      res.writeHead(302, { location: `/objects/${m[1]}/${m[2]}/${m[3]}/${m[4]}` });
      return void res.end();
    }
    if ((m = /^\/objects\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(p))) {
      const b = this.of(m[1], m[2]!).find((x) => x.release.version === m![3]);
      if (!b) return json(404, { message: 'Not Found' });
      const file = m[4]!;
      if (file === `packer-plugin-${m[2]}_v${m[3]}_SHA256SUMS`) return send(`${b.release.wrongChecksum ? sha256Of('tampered') : sha256Of(b.ghZipData)}  ${b.ghZip}\n`);
      if (file === b.ghZip) return send(b.ghZipData, b.release);
      return json(404, { message: 'Not Found' });
    }
    json(404, { message: 'Not Found' });
  }
}
