// node:crypto only as an independent reference for the pure SHA-256; the module itself imports nothing from Node.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ActionSpace } from '@/envs/types';
import { actionsMatch, canonicalJson, datasetHash, expertAgreement, meanStd, sha256Hex, successRate } from './metrics';
import { createRng } from './rng';

const box: ActionSpace = { kind: 'box', size: 1, low: [-1], high: [1], names: ['u'] };
const discrete: ActionSpace = { kind: 'discrete', n: 2, names: ['l', 'r'], keys: ['a', 'd'] };

describe('metrics', () => {
  it('mean and population std', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(meanStd([7])).toEqual({ mean: 7, std: 0 });
    expect(meanStd([])).toEqual({ mean: NaN, std: NaN });
  });

  it('success rate', () => {
    expect(successRate([true, false, true, true])).toBe(0.75);
    expect(successRate([])).toBeNaN();
  });

  it('expert agreement, with a tolerance of the action range for continuous actions', () => {
    expect(actionsMatch(box, [0.5], [0.59])).toBe(true);
    expect(actionsMatch(box, [0.5], [0.6])).toBe(true); // exactly 5 % of a range of 2
    expect(actionsMatch(box, [0.5], [0.7])).toBe(false);
    expect(actionsMatch(box, [0.5], [0.7], 0.1)).toBe(true);
    expect(actionsMatch(box, [0.5], [0.5, 0])).toBe(false);
    expect(actionsMatch(discrete, 1, 1)).toBe(true);
    expect(expertAgreement(discrete, [{ policy: 1, expert: 1 }, { policy: 0, expert: 1 }])).toBe(0.5);
    expect(expertAgreement(box, [{ policy: [0], expert: [0.05] }, { policy: [0], expert: [0.5] }, { policy: [1], expert: [1] }])).toBeCloseTo(2 / 3, 12);
    expect(expertAgreement(discrete, [])).toBeNaN();
  });
});

describe('dataset hash', () => {
  it('SHA-256 matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('SHA-256 agrees with node:crypto on random strings of every padding length, Unicode included', () => {
    const rng = createRng(17);
    const alphabet = ['a', 'Z', '0', ' ', '"', 'é', 'β', 'π', '—', '😀', '\n'];
    for (let len = 0; len < 200; len++) {
      const s = Array.from({ length: len }, () => alphabet[rng.int(alphabet.length)]!).join('');
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });

  it('canonical JSON sorts keys and refuses non-finite numbers', () => {
    expect(canonicalJson({ b: 1, a: [1, 'x', null, { d: true, c: undefined }] })).toBe('{"a":[1,"x",null,{"d":true}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(() => canonicalJson([NaN])).toThrow(/non-finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });

  it('hashes datasets stably and sensitively to ids, actions and order', () => {
    const items = [{ id: 1, action: 0 }, { id: 2, action: 1 }];
    const a = datasetHash(items);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(datasetHash(items.map((i) => ({ ...i }))));
    expect(a).toBe(sha256Hex('[[1,0],[2,1]]'));
    expect(a).not.toBe(datasetHash([{ id: 1, action: 0 }, { id: 2, action: 2 }]));
    expect(a).not.toBe(datasetHash([{ id: 1, action: 0 }, { id: 3, action: 1 }]));
    expect(a).not.toBe(datasetHash([...items].reverse()));
    expect(datasetHash([{ id: 1, action: [0.25, -1] }])).not.toBe(datasetHash([{ id: 1, action: [0.25, -1.0000001] }]));
    expect(datasetHash([])).toBe(sha256Hex('[]'));
  });
});
