/**
 * bzip2 through the `bzip2` program (Debian's `bzip2` package): Packer's Go library
 * is pure Go, npm has no maintained bzip2 encoder, and libbz2's own CLI is the
 * reference implementation. Level: `compression_level` when above 0, else 9 (Packer's).
 */
import { spawn } from 'node:child_process';
import type { ByteSink } from './sink.js';

export class Bzip2Writer implements ByteSink {
  private readonly done: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private readonly child;

  constructor(
    private readonly out: ByteSink,
    level: number,
  ) {
    this.child = spawn('bzip2', ['-c', `-${level > 0 ? Math.min(level, 9) : 9}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    this.child.stdout.on('data', (c: Buffer) => {
      this.child.stdout.pause();
      this.chain = this.chain.then(() => out.write(c)).then(
        () => void this.child.stdout.resume(),
        (err: Error) => {
          this.failure = err;
          this.child.kill();
        },
      );
    });
    this.child.stdin.on('error', () => {});
    this.done = new Promise((resolve, reject) => {
      this.child.on('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(err.code === 'ENOENT' ? 'the bzip2 program is not installed (Debian package bzip2)' : err.message)),
      );
      this.child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`bzip2 exited with status ${code}: ${stderr.trim()}`))));
    });
    this.done.catch(() => {});
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.child.exitCode !== null) await this.done;
    if (!this.child.stdin.write(chunk)) {
      await Promise.race([new Promise<void>((r) => this.child.stdin.once('drain', () => r())), this.done]);
    }
  }

  async end(): Promise<void> {
    this.child.stdin.end();
    await this.done;
    await this.chain;
    if (this.failure) throw this.failure;
    await this.out.end();
  }
}
