import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, encodeNpy, encodeNpz } from './npz';

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);

describe('npy / npz writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a header padded to 64 bytes that states dtype and shape', () => {
    const buf = encodeNpy({ dtype: '<f4', shape: [2, 3], data: new Float32Array(6) });
    const headerLen = buf.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(buf.subarray(10, 10 + headerLen).toString('latin1')).toContain("'shape': (2, 3)");
    expect(buf.length).toBe(10 + headerLen + 24);
    expect(() => encodeNpy({ dtype: '<f4', shape: [2, 3], data: new Float32Array(5) })).toThrow(/needs 6 values, got 5/);
  });

  it.skipIf(!python)('loads in numpy with the same values', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'npz-')), 'x.npz');
    fs.writeFileSync(
      file,
      encodeNpz({
        obs: { dtype: '<f4', shape: [2, 2], data: Float32Array.from([1.5, -2, 3.25, 4]) },
        act: { dtype: '<i8', shape: [2], data: BigInt64Array.from([2n, 0n]) },
        src: { dtype: '<U', shape: [2], strings: ['demonstration', 'dagger'] },
      }),
    );
    const r = spawnSync(python!, ['-c', `import numpy as np, json; d = np.load(${JSON.stringify(file)}); print(json.dumps({k: d[k].tolist() for k in d.files}))`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ obs: [[1.5, -2], [3.25, 4]], act: [2, 0], src: ['demonstration', 'dagger'] });
  });
});
