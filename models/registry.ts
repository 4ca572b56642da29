/**
 * Policy registry: ONNX files stored content-addressed under one directory, <sha256>.onnx, written atomically
 * and never overwritten — a policy version *is* its hash, so "latest.onnx"-style mutation cannot happen.
 *
 * Public API
 *   new PolicyRegistry(dir)
 *   put(bytes) → Promise<{ sha256, path, created }>   idempotent: the same bytes give the same file
 *   get(sha256) → Promise<Uint8Array>                  verifies the hash of what it reads
 *   has(sha256) / pathOf(sha256) / list()
 *   sha256Hex(bytes)
 *
 * Atomicity: bytes go to a unique temporary file in the same directory, are fsynced, then hard-linked to the
 * final name (link fails if the name exists, so a file is never replaced, not even by a concurrent writer
 * of the same bytes), the temporary name is removed and the directory fsynced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class PolicyRegistryError extends Error {
  override name = 'PolicyRegistryError';
}

const HASH_RE = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface StoredPolicy {
  sha256: string;
  path: string;
  /** false when the file was already there. */
  created: boolean;
}

export class PolicyRegistry {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!HASH_RE.test(sha256)) throw new PolicyRegistryError(`not a sha256 hex digest: ${JSON.stringify(sha256)}`);
    return path.join(this.dir, `${sha256}.onnx`);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async put(bytes: Uint8Array): Promise<StoredPolicy> {
    if (bytes.length === 0) throw new PolicyRegistryError('refusing to store an empty policy file');
    const sha256 = sha256Hex(bytes);
    const final = this.pathOf(sha256);
    await fs.mkdir(this.dir, { recursive: true });
    if (await this.matches(final, sha256)) return { sha256, path: final, created: false };
    const tmp = path.join(this.dir, `.tmp-${sha256.slice(0, 16)}-${process.pid}-${randomBytes(6).toString('hex')}`);
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    let created = true;
    try {
      await fs.link(tmp, final);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      created = false; // a concurrent writer stored it first
      if (!(await this.matches(final, sha256))) throw new PolicyRegistryError(`${final} exists but does not hold the bytes of its name`);
    } finally {
      await fs.unlink(tmp).catch(() => undefined);
    }
    await this.syncDir();
    return { sha256, path: final, created };
  }

  async get(sha256: string): Promise<Uint8Array> {
    const file = this.pathOf(sha256);
    const bytes = new Uint8Array(await fs.readFile(file));
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new PolicyRegistryError(`${file} is corrupt: its content hashes to ${actual}`);
    return bytes;
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .filter((n) => n.endsWith('.onnx') && HASH_RE.test(n.slice(0, -5)))
      .map((n) => n.slice(0, -5))
      .sort();
  }

  private async matches(file: string, sha256: string): Promise<boolean> {
    try {
      return sha256Hex(new Uint8Array(await fs.readFile(file))) === sha256;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  private async syncDir() {
    try {
      const d = await fs.open(this.dir, 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      /* directory fsync is not supported everywhere; the link itself is already atomic */
    }
  }
}
