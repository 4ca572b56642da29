import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyRegistry, PolicyRegistryError, sha256Hex } from './registry';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'policy-registry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('PolicyRegistry', () => {
  it('stores by sha256 of the bytes, in a directory it creates', async () => {
    const reg = new PolicyRegistry(path.join(dir, 'nested', 'policies'));
    const bytes = new TextEncoder().encode('policy bytes v1');
    const r = await reg.put(bytes);
    expect(r.sha256).toBe(sha256Hex(bytes));
    expect(r.path).toBe(path.join(dir, 'nested', 'policies', `${r.sha256}.onnx`));
    expect(r.created).toBe(true);
    expect(Buffer.from(await reg.get(r.sha256)).equals(Buffer.from(bytes))).toBe(true);
    expect(await reg.has(r.sha256)).toBe(true);
    expect(await reg.list()).toEqual([r.sha256]);
  });

  it('the same bytes give the same file; nothing is rewritten and no temporary file is left', async () => {
    const reg = new PolicyRegistry(dir);
    const bytes = new TextEncoder().encode('same');
    const a = await reg.put(bytes);
    const b = await reg.put(Uint8Array.from(bytes));
    const [c, d] = await Promise.all([reg.put(bytes), reg.put(bytes)]);
    expect([b.created, c!.created, d!.created]).toEqual([false, false, false]);
    expect(new Set([a.path, b.path, c!.path, d!.path]).size).toBe(1);
    expect(readdirSync(dir)).toEqual([`${a.sha256}.onnx`]);
  });

  it('concurrent first writes of the same bytes: one creates, all agree, no temporary files', async () => {
    const reg = new PolicyRegistry(dir);
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    const rs = await Promise.all(Array.from({ length: 5 }, () => reg.put(bytes)));
    expect(rs.filter((r) => r.created).length).toBeGreaterThanOrEqual(1);
    expect(new Set(rs.map((r) => r.path)).size).toBe(1);
    expect(readdirSync(dir)).toEqual([`${rs[0]!.sha256}.onnx`]);
  });

  it('never overwrites: a file under a hash name with other content is an error, and is left alone', async () => {
    const reg = new PolicyRegistry(dir);
    const bytes = new TextEncoder().encode('genuine');
    const file = reg.pathOf(sha256Hex(bytes));
    writeFileSync(file, 'tampered');
    await expect(reg.put(bytes)).rejects.toThrow(PolicyRegistryError);
    expect(readFileSync(file, 'utf8')).toBe('tampered');
    await expect(reg.get(sha256Hex(bytes))).rejects.toThrow(/is corrupt/);
  });

  it('rejects bad hashes and empty files', async () => {
    const reg = new PolicyRegistry(dir);
    expect(() => reg.pathOf('../../etc/passwd')).toThrow(/not a sha256/);
    await expect(reg.put(new Uint8Array(0))).rejects.toThrow(/empty/);
    expect(await new PolicyRegistry(path.join(dir, 'missing')).list()).toEqual([]);
  });
});
