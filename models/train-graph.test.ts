import { describe, expect, it } from 'vitest';
import { createSession, ort } from './ort';
import { initParams, type NetShape } from './policy-net';
import { type RefHyper, type RefState, referenceStep } from './reference-mlp';
import { buildTrainStepModel } from './train-graph';
import { randn } from './testing';

const CASES: { name: string; shape: NetShape; hyper: RefHyper }[] = [
  {
    name: 'categorical, 2 ReLU layers, clipping active, weight decay',
    shape: { kind: 'categorical', obsDim: 5, actDim: 3, hidden: [8, 6], activation: 'relu', components: 1 },
    hyper: { lr: 0.05, weightDecay: 0.1, clipNorm: 0.5, logStdLrScale: 1 },
  },
  {
    name: 'gaussian, tanh, log-std learning-rate scale, no clipping',
    shape: { kind: 'gaussian', obsDim: 4, actDim: 2, hidden: [7], activation: 'tanh', components: 1, logScaleSum: 0.25 },
    hyper: { lr: 0.02, weightDecay: 0.01, clipNorm: 0, logStdLrScale: 3 },
  },
  {
    name: 'gaussian, no hidden layer, clipping and decay',
    shape: { kind: 'gaussian', obsDim: 3, actDim: 1, hidden: [], activation: 'relu', components: 1 },
    hyper: { lr: 0.1, weightDecay: 0.5, clipNorm: 0.3, logStdLrScale: 0.5 },
  },
];

const B = 6;
const STEPS = 5;

function batch(s: NetShape, step: number) {
  const obs = randn(B * s.obsDim, 100 + step, 1.5);
  let target: Float64Array;
  if (s.kind === 'categorical') {
    target = new Float64Array(B * s.actDim);
    for (let i = 0; i < B; i++) target[i * s.actDim + ((i + step) % s.actDim)] = 1;
  } else target = randn(B * s.actDim, 200 + step, 0.8);
  const weight = Float64Array.from({ length: B }, (_, i) => (i + 1) / ((B * (B + 1)) / 2));
  return { obs, target, weight };
}

async function runGraph(dtype: 'float32' | 'float64', s: NetShape, h: RefHyper, init: Float32Array) {
  const { bytes } = buildTrainStepModel({ shape: s, dtype, weightDecay: h.weightDecay, clipNorm: h.clipNorm, logStdLrScale: h.logStdLrScale });
  const sess = await createSession(bytes);
  const Arr = dtype === 'float32' ? Float32Array : Float64Array;
  const P = init.length;
  let params: Float32Array | Float64Array = Arr.from(init);
  let m: Float32Array | Float64Array = new Arr(P);
  let v: Float32Array | Float64Array = new Arr(P);
  const losses: number[] = [];
  const norms: number[] = [];
  const T = (d: ArrayLike<number>, dims: number[]) => new ort.Tensor(dtype, Arr.from(d as ArrayLike<number>) as Float32Array, dims);
  for (let t = 1; t <= STEPS; t++) {
    const { obs, target, weight } = batch(s, t);
    const out = await sess.run({
      params: T(params, [P]),
      m: T(m, [P]),
      v: T(v, [P]),
      step: T([t], []),
      lr: T([h.lr], []),
      obs: T(obs, [B, s.obsDim]),
      target: T(target, [B, s.actDim]),
      weight: T(weight, [B]),
    });
    params = out.params_out!.data as Float32Array;
    m = out.m_out!.data as Float32Array;
    v = out.v_out!.data as Float32Array;
    losses.push(out.loss!.data[0] as number);
    norms.push(out.grad_norm!.data[0] as number);
  }
  await sess.release();
  return { params, losses, norms };
}

function runReference(s: NetShape, h: RefHyper, init: Float32Array) {
  let st: RefState = { params: Float64Array.from(init), m: new Float64Array(init.length), v: new Float64Array(init.length) };
  const losses: number[] = [];
  const norms: number[] = [];
  for (let t = 1; t <= STEPS; t++) {
    const { obs, target, weight } = batch(s, t);
    const r = referenceStep(s, st, t, h, obs, target, weight);
    st = r.state;
    losses.push(r.loss);
    norms.push(r.gradNorm);
  }
  return { params: st.params, losses, norms };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('training-step graph vs an independent TypeScript implementation', () => {
  for (const c of CASES) {
    it(`${c.name}: float64 graph matches to 1e-10 over ${STEPS} steps`, async () => {
      const init = initParams(c.shape, 7);
      const g = await runGraph('float64', c.shape, c.hyper, init);
      const r = runReference(c.shape, c.hyper, init);
      expect(maxAbsDiff(g.losses, r.losses)).toBeLessThan(1e-10);
      expect(maxAbsDiff(g.norms, r.norms)).toBeLessThan(1e-10);
      expect(maxAbsDiff(g.params, r.params)).toBeLessThan(1e-10);
      // The parameters did move (so agreement is not trivial).
      expect(maxAbsDiff(r.params, init)).toBeGreaterThan(1e-3);
      if (c.hyper.clipNorm > 0) expect(Math.max(...r.norms)).toBeGreaterThan(c.hyper.clipNorm);
    });
    it(`${c.name}: float32 graph matches to float32 precision`, async () => {
      const init = initParams(c.shape, 7);
      const g = await runGraph('float32', c.shape, c.hyper, init);
      const r = runReference(c.shape, c.hyper, init);
      expect(maxAbsDiff(g.losses, r.losses)).toBeLessThan(1e-4);
      expect(maxAbsDiff(g.params, r.params)).toBeLessThan(2e-4);
    });
  }

  it('a wrong reference is detected (the comparison can fail)', async () => {
    const c = CASES[0]!;
    const init = initParams(c.shape, 7);
    const g = await runGraph('float64', c.shape, c.hyper, init);
    const r = runReference(c.shape, { ...c.hyper, weightDecay: 0 }, init);
    expect(maxAbsDiff(g.params, r.params)).toBeGreaterThan(1e-6);
  });
});
