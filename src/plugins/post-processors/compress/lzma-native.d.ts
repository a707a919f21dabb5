/** The part of lzma-native 8 that kiln uses (the package ships no types). */
declare module 'lzma-native' {
  import type { Duplex } from 'node:stream';

  export type Stream = Duplex;

  export interface CompressorOptions {
    /** 0–9, optionally or-ed with the extreme flag. */
    readonly preset?: number;
    /** Encoder threads; liblzma splits the input into independently compressed blocks. */
    readonly threads?: number;
    readonly check?: 'none' | 'crc32' | 'crc64' | 'sha256';
  }

  export function createCompressor(options?: CompressorOptions): Stream;
}
