import { describe, expect, it } from 'vitest';
import type { Value } from './graph';
import { GraphBuilder } from './graph';
import { createSession, ort } from './ort';
import { buildHeads, buildNll, MIXTURE_LOG_STD_RANGE, type NetShape, netLayout } from './policy-net';
import { checkGradients, type GradInput, rand, randn } from './testing';

const base = { obsDim: 3, hidden: [4], components: 2 } as const;
const SHAPES: NetShape[] = [
  { ...base, kind: 'categorical', actDim: 3, activation: 'relu' },
  { ...base, kind: 'gaussian', actDim: 2, activation: 'tanh', logScaleSum: 0.3 },
  { ...base, kind: 'mixture', actDim: 2, activation: 'tanh', logScaleSum: -0.2 },
];
const B = 3;

/** Loss Σ_i w_i · nll_i with every parameter tensor as a graph input. */
function lossCase(s: NetShape) {
  const layout = netLayout(s);
  const inputs: GradInput[] = layout.params.map((p, k) => ({ name: p.name, shape: p.shape, dims: p.shape, data: randn(p.size, 10 + k, 0.7) }));
  inputs.push({ name: 'obs', shape: ['batch', s.obsDim], dims: [B, s.obsDim], data: randn(B * s.obsDim, 1), diff: true });
  const target =
    s.kind === 'categorical'
      ? Float64Array.from([0.2, 0.8, 0, 1, 0, 0, 0, 0.5, 0.5]) // soft labels too
      : randn(B * s.actDim, 2, 0.8);
  inputs.push({ name: 'target', shape: ['batch', s.actDim], dims: [B, s.actDim], data: target, diff: s.kind !== 'categorical' });
  inputs.push({ name: 'w', shape: ['batch'], dims: [B], data: rand(B, 3, 0.2, 1), diff: false });
  const fn = (b: GraphBuilder, x: Record<string, Value>) => {
    const heads = buildHeads(b, s, x.obs!, (n) => x[n]!);
    return b.reduceSum(b.mul(buildNll(b, s, heads, x.target!), x.w!));
  };
  return { fn, inputs };
}

describe('policy losses: gradients vs finite differences (float64)', () => {
  for (const s of SHAPES) {
    it(`${s.kind} NLL w.r.t. every parameter, the observations${s.kind === 'categorical' ? '' : ' and the actions'}`, async () => {
      const { fn, inputs } = lossCase(s);
      const res = await checkGradients(fn, inputs);
      expect(res.maxRelErr, res.worst).toBeLessThan(1e-6);
    });
  }
});

/** Forward value of the NLL computed by ORT, for comparison with closed forms in plain TypeScript. */
async function nllValues(s: NetShape, heads: Record<string, Float64Array>, headDims: Record<string, number[]>, target: Float64Array): Promise<Float64Array> {
  const b = new GraphBuilder({ dtype: 'float64' });
  const v: Record<string, Value> = {};
  for (const [k, dims] of Object.entries(headDims)) v[k] = b.input(k, k === 'log_std' ? dims : ['batch', ...dims.slice(1)]);
  const t = b.input('target', ['batch', s.actDim]);
  const h =
    s.kind === 'categorical'
      ? { kind: 'categorical' as const, logits: v.logits! }
      : s.kind === 'gaussian'
        ? { kind: 'gaussian' as const, mean: v.mean!, logStd: v.log_std! }
        : { kind: 'mixture' as const, mixLogits: v.mix_logits!, means: v.means!, logStds: v.log_stds! };
  b.output(buildNll(b, s, h, t), 'nll');
  const sess = await createSession(b.encode());
  const feeds: Record<string, ort.Tensor> = { target: new ort.Tensor('float64', target, [B, s.actDim]) };
  for (const [k, dims] of Object.entries(headDims)) feeds[k] = new ort.Tensor('float64', heads[k]!, dims);
  const out = (await sess.run(feeds)).nll!.data as Float64Array;
  await sess.release();
  return out;
}

describe('policy losses: values vs closed forms', () => {
  const L2P = Math.log(2 * Math.PI);
  it('categorical cross-entropy = logsumexp(z) − z_a', async () => {
    const s = SHAPES[0]!;
    const logits = randn(B * 3, 4, 2);
    const target = Float64Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1]);
    const got = await nllValues(s, { logits }, { logits: [B, 3] }, target);
    for (let i = 0; i < B; i++) {
      const z = Array.from(logits.subarray(i * 3, i * 3 + 3));
      const lse = Math.log(z.reduce((a, q) => a + Math.exp(q), 0));
      const a = Array.from(target.subarray(i * 3, i * 3 + 3)).indexOf(1);
      expect(got[i]).toBeCloseTo(lse - z[a]!, 12);
    }
  });

  it('diagonal Gaussian NLL (plus Σ log scale)', async () => {
    const s = SHAPES[1]!;
    const mean = randn(B * 2, 5);
    const logStd = Float64Array.from([-0.3, 0.4]);
    const target = randn(B * 2, 6);
    const got = await nllValues(s, { mean, log_std: logStd }, { mean: [B, 2], log_std: [2] }, target);
    for (let i = 0; i < B; i++) {
      let nll = s.logScaleSum!;
      for (let j = 0; j < 2; j++) {
        const sd = Math.exp(logStd[j]!);
        nll += 0.5 * ((target[i * 2 + j]! - mean[i * 2 + j]!) / sd) ** 2 + Math.log(sd) + 0.5 * L2P;
      }
      expect(got[i]).toBeCloseTo(nll, 12);
    }
  });

  it('mixture NLL = −log Σ_k π_k N(a; μ_k, σ_k), stable for far-away actions', async () => {
    const s = SHAPES[2]!;
    const K = 2;
    const mix = randn(B * K, 7);
    const means = randn(B * K * 2, 8);
    const logStds = rand(B * K * 2, 9, -1, 0.5);
    const target = randn(B * 2, 10, 40); // far from every component: naive exp underflows
    const got = await nllValues(s, { mix_logits: mix, means, log_stds: logStds }, { mix_logits: [B, K], means: [B, K, 2], log_stds: [B, K, 2] }, target);
    for (let i = 0; i < B; i++) {
      const lse = (xs: number[]) => {
        const m = Math.max(...xs);
        return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
      };
      const lw = Array.from({ length: K }, (_, k) => mix[i * K + k]!);
      const logPi = lw.map((x) => x - lse(lw));
      const terms = logPi.map((lp, k) => {
        let ll = lp;
        for (let j = 0; j < 2; j++) {
          // The graph squashes raw log-stds with tanh into MIXTURE_LOG_STD_RANGE only inside buildHeads;
          // buildNll receives log-stds as they are.
          const ls = logStds[(i * K + k) * 2 + j]!;
          const z = (target[i * 2 + j]! - means[(i * K + k) * 2 + j]!) / Math.exp(ls);
          ll += -0.5 * z * z - ls - 0.5 * L2P;
        }
        return ll;
      });
      expect(Number.isFinite(got[i]!)).toBe(true);
      expect(got[i]).toBeCloseTo(s.logScaleSum! - lse(terms), 8);
    }
    expect(MIXTURE_LOG_STD_RANGE[0]).toBeLessThan(MIXTURE_LOG_STD_RANGE[1]);
  });
});
