/**
 * The policy networks as graph fragments: parameter layout, seeded initialisation, forward pass and
 * per-sample negative log-likelihood. Shared by the training-step graph (parameters sliced out of one flat
 * vector) and the exported inference graph (parameters as initializers), so both compute the same function.
 *
 * Public API
 *   type NetShape                     policy class + sizes (no data)
 *   netLayout(shape) → Layout         named parameter tensors and their offsets in the flat vector
 *   initParams(shape, seed) → Float32Array
 *   buildHeads(b, shape, obs, param) → Heads      forward pass on normalised observations
 *   buildNll(b, shape, heads, target) → Value     per-sample NLL [batch] (cross-entropy for categorical)
 *   buildDeterministic(b, shape, heads) → Value   argmax / mean / most likely component's mean
 *   MIXTURE_LOG_STD_RANGE
 *
 * Conventions. Linear layers store W as [out, in] (PyTorch's layout) and run as Gemm(x, W, b, transB=1).
 * Continuous policies work in normalised action units (a box's [low, high] mapped to [-1, 1]); the
 * exported graph maps back, and the NLL adds Σ log(scale) so reported NLLs are in the env's own units.
 */
import type { Activation, PolicyKind } from './policy-spec';
import type { GraphBuilder, Value } from './graph';
import { mulberry32, type Rng } from './prng';

export interface NetShape {
  kind: PolicyKind;
  obsDim: number;
  /** Categorical: number of actions. Gaussian / mixture: action dimensions. */
  actDim: number;
  hidden: readonly number[];
  activation: Activation;
  /** Mixture components (mixture only; ignored otherwise). */
  components: number;
  /** Σ log(action scale): added to the NLL so it is measured in env units (continuous only). */
  logScaleSum?: number;
}

export type ParamRole = 'weight' | 'bias' | 'log_std';

export interface ParamSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
  role: ParamRole;
  /** Initial values: uniform(±bound) or a constant. */
  init: { uniform: number; center?: number } | { constant: number };
}

export interface Layout {
  params: ParamSpec[];
  size: number;
}

/** Mixture log-stds are squashed into this range with tanh (keeps the NLL bounded below). */
export const MIXTURE_LOG_STD_RANGE = [-5, 2] as const;

export function netLayout(s: NetShape): Layout {
  const params: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], role: ParamRole, init: ParamSpec['init']) => {
    const size = shape.reduce((a, b) => a * b, 1);
    params.push({ name, shape, offset, size, role, init });
    offset += size;
  };
  const linear = (name: string, fanIn: number, out: number, weightScale = 1, biasInit?: ParamSpec['init']) => {
    const bound = 1 / Math.sqrt(fanIn);
    add(`${name}.weight`, [out, fanIn], 'weight', { uniform: bound * weightScale });
    add(`${name}.bias`, [out], 'bias', biasInit ?? { uniform: bound * weightScale });
  };
  let fanIn = s.obsDim;
  s.hidden.forEach((h, i) => {
    linear(`l${i}`, fanIn, h);
    fanIn = h;
  });
  // Small output layers: initial policies are close to uniform / centred, which trains more smoothly.
  if (s.kind === 'categorical') linear('logits', fanIn, s.actDim, 0.01);
  else if (s.kind === 'gaussian') {
    linear('mean', fanIn, s.actDim, 0.01);
    add('log_std', [s.actDim], 'log_std', { constant: 0 });
  } else {
    const kd = s.components * s.actDim;
    linear('mix_logits', fanIn, s.components, 0.01);
    // Component means start spread over the normalised action range, which breaks their symmetry.
    linear('means', fanIn, kd, 0.01, { uniform: 1 });
    linear('log_stds', fanIn, kd, 0.01, { constant: 0 });
  }
  return { params, size: offset };
}

export function initParams(s: NetShape, seed: number): Float32Array {
  const layout = netLayout(s);
  const out = new Float32Array(layout.size);
  const rng: Rng = mulberry32(seed);
  for (const p of layout.params) {
    for (let i = 0; i < p.size; i++) {
      out[p.offset + i] = 'constant' in p.init ? p.init.constant : (p.init.center ?? 0) + (2 * rng.next() - 1) * p.init.uniform;
    }
  }
  return out;
}

export type Heads =
  | { kind: 'categorical'; logits: Value }
  | { kind: 'gaussian'; mean: Value; logStd: Value }
  | { kind: 'mixture'; mixLogits: Value; means: Value; logStds: Value };

/** Forward pass: `obs` [batch, obsDim] (normalised) → distribution parameters. */
export function buildHeads(b: GraphBuilder, s: NetShape, obs: Value, param: (name: string) => Value): Heads {
  let h = obs;
  s.hidden.forEach((_, i) => {
    const z = b.gemm(h, param(`l${i}.weight`), param(`l${i}.bias`), { transB: true });
    h = s.activation === 'relu' ? b.relu(z) : b.tanh(z);
  });
  const linear = (name: string) => b.gemm(h, param(`${name}.weight`), param(`${name}.bias`), { transB: true });
  if (s.kind === 'categorical') return { kind: 'categorical', logits: linear('logits') };
  if (s.kind === 'gaussian') return { kind: 'gaussian', mean: linear('mean'), logStd: param('log_std') };
  const [lo, hi] = MIXTURE_LOG_STD_RANGE;
  const K = s.components;
  const d = s.actDim;
  const means = b.reshape(linear('means'), [0, K, d]);
  const raw = b.reshape(linear('log_stds'), [0, K, d]);
  const logStds = b.add(b.mul(b.tanh(raw), b.scalar((hi - lo) / 2)), b.scalar((hi + lo) / 2));
  return { kind: 'mixture', mixLogits: linear('mix_logits'), means, logStds };
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Per-sample negative log-likelihood [batch]. `target`: one-hot (or soft) labels [batch, n] for categorical,
 * normalised actions [batch, d] otherwise.
 */
export function buildNll(b: GraphBuilder, s: NetShape, heads: Heads, target: Value): Value {
  const dt = b.dtype;
  if (heads.kind === 'categorical') {
    const logp = b.logSoftmax(heads.logits, 1);
    return b.neg(b.reduceSum(b.mul(target, logp), [1], false));
  }
  const d = s.actDim;
  const constant = d * HALF_LOG_2PI + (s.logScaleSum ?? 0);
  if (heads.kind === 'gaussian') {
    const invStd = b.exp(b.neg(heads.logStd));
    const z = b.mul(b.sub(target, heads.mean), invStd);
    const quad = b.reduceSum(b.mul(z, z), [1], false);
    // 0.5·Σz² + Σ log σ + d/2·log 2π
    return b.add(b.mul(quad, b.scalar(0.5, dt)), b.add(b.reduceSum(heads.logStd), b.scalar(constant, dt)));
  }
  // Mixture: −log Σ_k π_k N(a; μ_k, σ_k), by log-sum-exp over components.
  const a = b.unsqueeze(target, [1]); // [B, 1, d]
  const z = b.mul(b.sub(a, heads.means), b.exp(b.neg(heads.logStds))); // [B, K, d]
  const compLl = b.neg(b.add(b.mul(b.reduceSum(b.mul(z, z), [2], false), b.scalar(0.5, dt)), b.reduceSum(heads.logStds, [2], false))); // [B, K]
  const logW = b.logSoftmax(heads.mixLogits, 1);
  const ll = b.reduceLogSumExp(b.add(logW, compLl), [1], false);
  return b.sub(b.scalar(constant, dt), ll);
}

/** Deterministic action in normalised units: argmax (int64 [B]) / mean [B, d] / most likely component's mean. */
export function buildDeterministic(b: GraphBuilder, s: NetShape, heads: Heads): Value {
  if (heads.kind === 'categorical') return b.argMax(heads.logits, 1, false);
  if (heads.kind === 'gaussian') return heads.mean;
  // One-hot of the argmax component (exactly one 1), times the means, summed over components: exact selection.
  const pick = b.oneHot(b.argMax(heads.mixLogits, 1, false), s.components, b.dtype); // [B, K]
  return b.reduceSum(b.mul(b.unsqueeze(pick, [2]), heads.means), [1], false);
}
