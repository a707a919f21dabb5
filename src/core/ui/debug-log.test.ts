import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DebugLog } from './debug-log.js';
import { SecretFilter } from './secret-filter.js';

const at = () => new Date(2024, 0, 2, 3, 4, 5);

describe('DebugLog', () => {
  it('is off without PACKER_LOG', () => {
    let out = '';
    const log = DebugLog.fromEnv({}, new SecretFilter(), (t) => void (out += t));
    log.log('INFO', 'x');
    log.sink({ kind: 'say', text: 'y' });
    assert.equal(log.enabled, false);
    assert.equal(out, '');
  });
  it('writes to stderr with PACKER_LOG, without ui lines, masking secrets', () => {
    let out = '';
    const secrets = new SecretFilter();
    secrets.register('hunter2');
    const log = DebugLog.fromEnv({ PACKER_LOG: '1' }, secrets, (t) => void (out += t));
    log.log('INFO', 'token hunter2');
    log.sink({ kind: 'say', target: 'a', text: 'shown already' });
    assert.match(out, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[INFO\] token <sensitive>\n$/);
  });
  it('writes everything, ui lines included, to PACKER_LOG_PATH', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiln-log-'));
    try {
      const file = path.join(dir, 'packer.log');
      const log = DebugLog.fromEnv({ PACKER_LOG: '0', PACKER_LOG_PATH: file }, new SecretFilter(), () => {});
      log.log('DEBUG', 'two\nlines');
      log.sink({ kind: 'error', target: 'null.a', text: 'bad' });
      const text = readFileSync(file, 'utf8');
      assert.match(text, /\[DEBUG\] two\n.* lines\n.* ui error: ==> null.a: bad\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('stamps lines in Go log format', () => {
    let out = '';
    const log = new DebugLog({ write: (t) => void (out += t), secrets: new SecretFilter(), now: at });
    log.log('WARN', 'w');
    assert.equal(out, '2024/01/02 03:04:05 [WARN] w\n');
  });
});
