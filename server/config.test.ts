import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-config-'));

describe('loadConfig', () => {
  it('uses defaults and creates the data directory and a persistent auth secret', () => {
    const dir = path.join(tmp(), 'data');
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.PORT).toBe(3000);
    expect(c.dataDir).toBe(dir);
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.authSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ DATA_DIR: dir }).authSecret).toBe(c.authSecret);
  });

  it('names a malformed setting', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(/PORT: must be a number/);
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: '70000' })).toThrow(/PORT: must be between 1 and 65535/);
    expect(() => loadConfig({ DATA_DIR: tmp(), WORKER: 'maybe' })).toThrow(/WORKER/);
    expect(() => loadConfig({ DATA_DIR: tmp(), ADMIN_EMAIL: 'nope' })).toThrow(/ADMIN_EMAIL: must be an email/);
  });

  it('names an unwritable data directory', () => {
    const file = path.join(tmp(), 'a-file');
    fs.writeFileSync(file, 'x');
    // A path below a regular file can never be created, even as root.
    expect(() => loadConfig({ DATA_DIR: path.join(file, 'data') })).toThrow(/DATA_DIR: .* is not a writable directory/);
  });
});
