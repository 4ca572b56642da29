/**
 * Finds a python3 that can import given modules (for tests and benchmarks that compare with PyTorch or run
 * onnx.checker; python is never a runtime dependency).
 *
 *   findPython(modules) → string | null     $PYTHON, then `python3` on PATH, then /usr/bin/python3 (Debian's
 *                                           python3-torch / python3-onnx live there, and a pyenv shim on
 *                                           PATH may not see them)
 */
import { spawnSync } from 'node:child_process';

const found = new Map<string, string | null>();

export function findPython(modules: readonly string[]): string | null {
  const key = modules.join(',');
  if (found.has(key)) return found.get(key)!;
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  let hit: string | null = null;
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) {
      hit = c;
      break;
    }
  }
  found.set(key, hit);
  return hit;
}
