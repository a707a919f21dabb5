/**
 * Packer's StepHTTPServer: serves `http_directory` (or the in-memory `http_content`)
 * to the machine during the build, on the first free port of
 * `http_port_min`..`http_port_max`, and records the port for `{{ .HTTPPort }}`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { Infer } from '../schema/index.js';
import { int, map, str } from '../schema/index.js';
import type { Step } from '../multistep/step.js';
import { CONTINUE, halt } from '../multistep/step.js';
import type { CommonState } from './common-state.js';

/** The HTTP server options (packer-plugin-sdk `commonsteps.HTTPConfig`). */
export const httpConfigSchema = {
  http_directory: str().localPath().doc('A folder served over HTTP to the machine during the build (`{{ .HTTPIP }}:{{ .HTTPPort }}`).'),
  http_content: map(str()).doc('Paths (`/preseed.cfg`) and their contents, served instead of `http_directory`.'),
  http_port_min: int().noEffect().doc('Lowest port to serve on; default 8000.'),
  http_port_max: int().noEffect().doc('Highest port to serve on; default 9000.'),
  http_bind_address: str().noEffect().doc('Address to listen on; default 0.0.0.0.'),
  http_interface: str().noEffect().doc('Not supported by kiln: use http_bind_address.'),
};
export type HttpConfig = Infer<typeof httpConfigSchema>;

/** Packer's checks: one of directory or content, and a sane port range. */
export function httpConfigErrors(c: HttpConfig): string[] {
  const errors: string[] = [];
  if (c.http_directory && c.http_content) errors.push('Don\'t set http_content and http_directory at the same time');
  const min = c.http_port_min ?? 8000;
  const max = c.http_port_max ?? 9000;
  if (min > max) errors.push('http_port_min must be less than http_port_max');
  return errors;
}

export function stepHttpServer<S extends CommonState>(c: HttpConfig): Step<S> {
  let server: http.Server | undefined;
  return {
    name: 'StepHTTPServer',
    async run(state) {
      if (!c.http_directory && !c.http_content) return CONTINUE;
      const handler = c.http_content ? contentHandler(c.http_content) : directoryHandler(path.resolve(c.http_directory ?? '.'));
      const min = c.http_port_min ?? 8000;
      const max = Math.max(min, c.http_port_max ?? 9000);
      const host = c.http_bind_address || '0.0.0.0';
      const start = min + Math.floor(Math.random() * (max - min + 1));
      for (let i = 0; i <= max - min; i++) {
        const port = min + ((start - min + i) % (max - min + 1));
        // node:http (with net and streams) is loaded when a build serves files, not by validate.
        const s = process.getBuiltinModule('node:http').createServer(handler);
        const ok = await new Promise<boolean>((resolve) => {
          s.once('error', () => resolve(false));
          s.listen(port, host, () => resolve(true));
        });
        if (ok) {
          server = s;
          state.httpPort = port;
          state.ui.say(`Starting HTTP server on port ${port}`);
          return CONTINUE;
        }
      }
      return halt(`Error finding port: no free port in ${min}..${max} on ${host}`);
    },
    async cleanup() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function contentHandler(content: Readonly<Record<string, string>>): Handler {
  return (req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = content[p] ?? content[p.replace(/^\//, '')];
    if (body === undefined) {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function directoryHandler(root: string): Handler {
  return (req, res) => {
    void (async () => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.join(root, path.normalize(rel));
      if (file !== root && !file.startsWith(root + path.sep)) return void res.writeHead(403).end();
      const st = await stat(file).catch(() => undefined);
      if (!st?.isFile()) return void res.writeHead(404).end('404 page not found\n');
      res.writeHead(200, { 'content-length': st.size });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    })();
  };
}
