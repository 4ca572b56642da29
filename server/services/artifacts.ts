/** Content-addressed files (policies, frames): named by SHA-256, written atomically, never overwritten. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function artifactPath(dir: string, kind: 'policies' | 'frames', sha256: string, ext: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return path.join(dir, kind, `${sha256}.${ext}`);
}

export function storeArtifact(dir: string, kind: 'policies' | 'frames', bytes: Uint8Array, ext: string): string {
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const file = artifactPath(dir, kind, sha256, ext);
  if (fs.existsSync(file)) return sha256;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
  return sha256;
}

/** Image type from magic bytes (PNG / JPEG), or null: a file's name or declared type is not trusted. */
export function imageType(bytes: Uint8Array): 'png' | 'jpg' | null {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  return null;
}

/** Where a policy file lives (the layout models/registry.ts writes: <artifacts>/policies/<sha256>.onnx). */
export function policyFilePath(artifactsDir: string, sha256: string): string {
  return artifactPath(artifactsDir, 'policies', sha256, 'onnx');
}
