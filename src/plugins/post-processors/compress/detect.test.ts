import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFromFilename } from './detect.js';

describe("compress: Packer's format detection", () => {
  const cases: [string, string, string | undefined, string | undefined][] = [
    // output, format, archive, algorithm
    ['packer_{{.BuildName}}_{{.BuilderType}}', '', 'tar', 'pgzip'],
    ['out.tar', '', 'tar', undefined],
    ['out.zip', '', 'zip', undefined],
    ['out.gz', '', undefined, 'pgzip'],
    ['out.tar.gz', '', 'tar', 'pgzip'],
    ['out.tgz', '', 'tar', 'pgzip'],
    ['out.bz2', '', 'tar', 'pgzip'],
    ['out.bzip2', '', undefined, 'bzip2'],
    ['out.tar.bzip2', '', 'tar', 'bzip2'],
    ['out.tar.lz4', '', 'tar', 'lz4'],
    ['out.bgzf', '', undefined, 'bgzf'],
    ['disk.qcow2.xz', '', undefined, 'xz'],
    ['out.TAR', '', 'tar', 'pgzip'],
    ['out', 'zip', 'zip', undefined],
    ['out.tar', 'lz4', 'tar', 'lz4'],
    ['out.zip.gz', '', undefined, 'pgzip'],
    ['dir.v1/out', '', 'tar', 'pgzip'],
  ];
  for (const [output, format, archive, algorithm] of cases) {
    it(`${output}${format ? ` + .${format}` : ''} → ${archive ?? '-'} / ${algorithm ?? '-'}`, () => {
      assert.deepEqual(detectFromFilename(output, format), { archive, algorithm });
    });
  }
});
