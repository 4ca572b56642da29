import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionSpace } from '../envs/types';
import { exportPolicy } from './export';
import { GraphBuilder } from './graph';
import { loadPolicy, PolicyLoadError } from './infer';
import { initParams, type NetShape } from './policy-net';
import type { PolicyKind } from './policy-spec';
import { mulberry32 } from './prng';

const DISC: ActionSpace = { kind: 'discrete', n: 3, names: ['a', 'b', 'c'], keys: ['1', '2', '3'] };
const BOX: ActionSpace = { kind: 'box', size: 2, low: [-1, -1], high: [1, 1], names: ['x', 'y'] };

function policyBytes(kind: PolicyKind, members: number, opts: { sameMembers?: boolean; headScale?: number } = {}) {
  const shape: NetShape = { kind, obsDim: 3, actDim: kind === 'categorical' ? 3 : 2, hidden: [8], activation: 'relu', components: 2 };
  const params = Array.from({ length: members }, (_, m) => initParams(shape, opts.sameMembers ? 1 : 1 + m).map((v) => v * (opts.headScale ?? 40)));
  return exportPolicy({
    shape,
    members: params,
    obsNorm: { mean: [0, 0, 0], std: [1, 1, 1] },
    actionSpace: kind === 'categorical' ? DISC : BOX,
    actionScaling: kind === 'categorical' ? null : { center: [0, 0], scale: [1, 1] },
  });
}

const obs = Float32Array.from({ length: 4 * 3 }, (_, i) => Math.cos(i * 2.3));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'infer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadPolicy / act', () => {
  it('categorical: deterministic = argmax of logits; actOne = act(n = 1); loads from a path', async () => {
    const file = path.join(tmp, 'cat.onnx');
    writeFileSync(file, policyBytes('categorical', 1, { headScale: 3 }));
    const p = await loadPolicy(file);
    expect(p.kind).toBe('categorical');
    expect(p.obsDim).toBe(3);
    expect(p.metadata?.policyClass).toBe('categorical');
    const r = await p.act(obs, 4);
    expect(r.actions).toBeInstanceOf(Int32Array);
    for (let i = 0; i < 4; i++) {
      const z = Array.from(r.dist.logits!.subarray(i * 3, i * 3 + 3));
      expect(r.actions[i]).toBe(z.indexOf(Math.max(...z)));
      const one = await p.actOne(obs.subarray(i * 3, i * 3 + 3));
      expect(one.action).toBe(r.actions[i]);
      Array.from(one.dist.logits!).forEach((v, k) => expect(v).toBeCloseTo(z[k]!, 6));
    }
    expect(r.disagreement).toBeUndefined();
    // Concurrent single-state calls do not share (and overwrite) the preallocated input.
    const many = await Promise.all([0, 1, 2, 3].map((i) => p.actOne(obs.subarray(i * 3, i * 3 + 3))));
    expect(many.map((m) => m.action)).toEqual(Array.from(r.actions));
    // A view into a larger buffer (non-zero byteOffset) reads the right rows.
    const big = new Float32Array(3 + obs.length + 5);
    big.set(obs, 3);
    const v = await p.act(big.subarray(3, 3 + obs.length), 4);
    expect(Array.from(v.dist.logits!)).toEqual(Array.from(r.dist.logits!));
    await p.release();
  });

  it('categorical sampling follows softmax(logits) and is reproducible with the same seed', async () => {
    const p = await loadPolicy(policyBytes('categorical', 1, { headScale: 2 }));
    const n = 4000;
    const one = obs.subarray(0, 3);
    const many = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) many.set(one, i * 3);
    const a = await p.act(many, n, { mode: 'sample', rng: mulberry32(5) });
    const b = await p.act(many, n, { mode: 'sample', rng: mulberry32(5) });
    expect(Array.from(a.actions)).toEqual(Array.from(b.actions));
    const z = Array.from(a.dist.logits!.subarray(0, 3));
    const s = z.reduce((acc, q) => acc + Math.exp(q), 0);
    const counts = [0, 0, 0];
    a.actions.forEach((x) => counts[x]!++);
    // Binomial standard error at n = 4000 is ≤ 0.008: 0.03 is ~4 standard errors.
    z.forEach((q, k) => expect(Math.abs(counts[k]! / n - Math.exp(q) / s)).toBeLessThan(0.03));
    await p.release();
  });

  it('gaussian: deterministic = mean; samples have mean ≈ μ and std ≈ exp(log_std), clipped to the box', async () => {
    const p = await loadPolicy(policyBytes('gaussian', 1, { headScale: 1 }));
    const n = 4000;
    const many = new Float32Array(n * 3).fill(0.1);
    const det = await p.act(many, 1);
    expect(Array.from(det.actions)).toEqual(Array.from(det.dist.mean!.subarray(0, 2)));
    const r = await p.act(many, n, { mode: 'sample', rng: mulberry32(9) });
    const mu = det.dist.mean![0]!;
    const sd = Math.exp(det.dist.log_std![0]!); // log_std 0 at init → sd 1, so clipping at ±1 matters
    let inside = 0;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const a = r.actions[i * 2]!;
      expect(a).toBeGreaterThanOrEqual(-1);
      expect(a).toBeLessThanOrEqual(1);
      if (a > -1 && a < 1) inside++;
      mean += a / n;
    }
    // P(|N(μ, 1)| < 1) for μ ≈ 0 is ≈ 0.683.
    expect(Math.abs(inside / n - 0.683)).toBeLessThan(0.03);
    expect(Math.abs(mean - mu)).toBeLessThan(0.05);
    expect(sd).toBeCloseTo(1, 3);
    await p.release();
  });

  it('mixture: deterministic = most likely component mean; sampling works', async () => {
    const p = await loadPolicy(policyBytes('mixture', 1, { headScale: 2 }));
    const r = await p.act(obs, 4);
    for (let i = 0; i < 4; i++) {
      const ml = Array.from(r.dist.mix_logits!.subarray(i * 2, i * 2 + 2));
      const k = ml.indexOf(Math.max(...ml));
      for (let j = 0; j < 2; j++) expect(r.actions[i * 2 + j]).toBeCloseTo(Math.min(1, Math.max(-1, r.dist.means![(i * 2 + k) * 2 + j]!)), 6);
    }
    const s = await p.act(obs, 4, { mode: 'sample', rng: mulberry32(1) });
    expect(s.actions).toHaveLength(8);
    await p.release();
  });

  it('ensembles expose disagreement: ~0 for identical members, > 0 for different ones', async () => {
    for (const kind of ['categorical', 'gaussian', 'mixture'] as const) {
      const same = await loadPolicy(policyBytes(kind, 3, { sameMembers: true }));
      const diff = await loadPolicy(policyBytes(kind, 3));
      expect(same.ensemble).toBe(3);
      const a = await same.act(obs, 4);
      const b = await diff.act(obs, 4);
      expect(a.disagreement).toHaveLength(4);
      for (let i = 0; i < 4; i++) {
        expect(a.disagreement![i]).toBeLessThan(1e-5);
        expect(b.disagreement![i]).toBeGreaterThan(1e-3);
      }
      const one = await diff.actOne(obs.subarray(0, 3));
      expect(one.disagreement).toBeCloseTo(b.disagreement![0]!, 5);
      await same.release();
      await diff.release();
    }
  });

  it('errors: sample mode without rng, wrong observation sizes, files that are not policies', async () => {
    const p = await loadPolicy(policyBytes('categorical', 1));
    await expect(p.act(obs, 4, { mode: 'sample' })).rejects.toThrow(/needs an rng/);
    await expect(p.act(obs, 5)).rejects.toThrow(/12 observation values for n = 5 states of 3/);
    await expect(p.actOne([1, 2])).rejects.toThrow(/has 2 values, the policy expects 3/);
    await p.release();
    const b = new GraphBuilder();
    b.output(b.relu(b.input('x', ['n', 3])), 'y');
    await expect(loadPolicy(b.encode())).rejects.toThrow(PolicyLoadError);
    await expect(loadPolicy(b.encode())).rejects.toThrow(/format" is missing/);
    await expect(loadPolicy(new TextEncoder().encode('nope'))).rejects.toThrow(/not an ONNX model/);
  });
});
