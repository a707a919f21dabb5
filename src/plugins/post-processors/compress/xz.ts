/**
 * xz through liblzma (lzma-native), with liblzma's multi-threaded encoder on every
 * core; Packer's pure-Go writer uses one. The preset is `compression_level` (6 when
 * unset; Packer ignores the level for xz).
 */
import { availableParallelism } from 'node:os';
import type { Stream } from 'lzma-native';
import { createCompressor } from 'lzma-native';
import type { ByteSink } from './sink.js';

export class XzWriter implements ByteSink {
  private readonly stream: Stream;
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly out: ByteSink,
    preset: number,
  ) {
    this.stream = createCompressor({ preset, threads: availableParallelism(), check: 'crc64' });
    this.stream.on('data', (c: Buffer) => {
      this.stream.pause();
      this.chain = this.chain.then(() => out.write(c)).then(
        () => void this.stream.resume(),
        (err: Error) => {
          this.failure = err;
          this.stream.destroy(err);
        },
      );
    });
    this.done = new Promise((resolve, reject) => {
      this.stream.on('end', () => resolve());
      this.stream.on('error', reject);
    });
    this.done.catch(() => {});
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }

  async end(): Promise<void> {
    this.stream.end();
    await this.done;
    await this.chain;
    if (this.failure) throw this.failure;
    await this.out.end();
  }
}
