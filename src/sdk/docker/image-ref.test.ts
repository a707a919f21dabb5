import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageRefProblem, parseImageRef, registryProblem } from './image-ref.js';

describe('parseImageRef', () => {
  it('splits registry, path, tag and digest as Docker does', () => {
    assert.deepEqual(parseImageRef('debian'), { registry: undefined, path: 'debian', tag: undefined, digest: undefined });
    assert.deepEqual(parseImageRef('library/debian:12.5-slim'), { registry: undefined, path: 'library/debian', tag: '12.5-slim', digest: undefined });
    assert.deepEqual(parseImageRef('127.0.0.1:5000/team/app:1'), { registry: '127.0.0.1:5000', path: 'team/app', tag: '1', digest: undefined });
    assert.deepEqual(parseImageRef('localhost/app'), { registry: 'localhost', path: 'app', tag: undefined, digest: undefined });
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageRef(`ghcr.io/o/app@${digest}`), { registry: 'ghcr.io', path: 'o/app', tag: undefined, digest });
    assert.equal(imageRefProblem(`sha256:${'b'.repeat(64)}`), undefined, 'an image ID is a valid docker run argument');
    assert.equal(imageRefProblem('my_app__x-y.z:v1'), undefined);
  });

  it('names what is wrong with an invalid reference', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['Debian', /"Debian" must be lower case/],
      ['debian:', /"" is not a valid tag/],
      ['debian:-x', /"-x" is not a valid tag/],
      ['debian:bad tag', /white space/],
      ['a//b', /empty path component/],
      ['app/', /empty path component/],
      ['app-', /not a valid repository name component/],
      ['app@sha256:xyz', /is not a digest/],
      ['127.0.0.1:99999/app', /port 99999 .* out of range/],
      ['exa_mple.com/app', /not a host name/],
      [`x/${'a'.repeat(256)}`, /longer than 255/],
    ];
    for (const [ref, expected] of cases) assert.match(imageRefProblem(ref) ?? 'valid', expected, ref);
  });
});

describe('registryProblem', () => {
  it('accepts host[:port], IPv6 and http(s) URLs', () => {
    for (const ok of ['127.0.0.1:5000', 'registry.example.com', 'localhost:5000', '[::1]:5000', 'https://index.docker.io/v1/', 'http://10.0.0.1:80']) {
      assert.equal(registryProblem(ok), undefined, ok);
    }
  });

  it('rejects what docker login could not reach', () => {
    assert.match(registryProblem('registry example.com') ?? '', /white space/);
    assert.match(registryProblem('ftp://example.com') ?? '', /scheme ftp/);
    assert.match(registryProblem('example.com:abc') ?? '', /not a number/);
    assert.match(registryProblem('example.com:0') ?? '', /out of range/);
    assert.match(registryProblem('-bad-.com') ?? '', /not a host name/);
    assert.match(registryProblem('[::1') ?? '', /unclosed/);
    assert.match(registryProblem('https://') ?? '', /names no host/);
  });
});
