/**
 * The training step as one ONNX graph: forward, backward, global-norm gradient clipping and AdamW, so a
 * whole optimiser step is one `session.run`. onnxruntime-node has no training API; this graph of standard
 * opset-17 ops is the substitute.
 *
 * Public API
 *   buildTrainStepModel(spec) → { bytes, layout }
 *     inputs   params [P], m [P], v [P], step [] (t ≥ 1), lr [], obs [batch, obsDim] (normalised),
 *              target [batch, n | d], weight [batch] (per-sample loss weights; the trainer uses 1/batch)
 *     outputs  params_out, m_out, v_out [P], loss [] (Σ weight·nll), grad_norm [] (before clipping)
 *   buildEvalModel(spec) → { bytes, layout }
 *     inputs   params, obs, target      outputs nll [batch], pred (argmax int64 [batch] | action [batch, d])
 *   ADAM_BETAS, ADAM_EPS
 *
 * AdamW (Loshchilov & Hutter; PyTorch's update order):
 *   g ← g · min(1, clip / (‖g‖ + 1e-6))
 *   m ← β1 m + (1 − β1) g          v ← β2 v + (1 − β2) g²
 *   θ ← θ · (1 − lr·wd·[θ is a weight matrix]) − lr·s / (1 − β1ᵗ) · m / (√(v / (1 − β2ᵗ)) + ε)
 * where s is 1, or logStdLrScale for the Gaussian's log-std parameters. The clip factor is folded into the
 * moment updates' scalar coefficients, and the bias corrections into one scalar, to save passes over [P].
 */
import { gradients } from './autodiff';
import { type FloatType, GraphBuilder, type Value } from './graph';
import { buildDeterministic, buildHeads, buildNll, type Layout, type NetShape, netLayout } from './policy-net';

export const ADAM_BETAS = [0.9, 0.999] as const;
export const ADAM_EPS = 1e-8;

export interface StepGraphSpec {
  shape: NetShape;
  dtype?: FloatType;
  weightDecay: number;
  clipNorm: number;
  logStdLrScale: number;
}

/** Per-parameter views of the flat `params` input (Slice + Reshape), created on first use. */
function flatParams(b: GraphBuilder, layout: Layout, params: Value) {
  const views = new Map<string, Value>();
  const param = (name: string): Value => {
    const hit = views.get(name);
    if (hit) return hit;
    const p = layout.params.find((q) => q.name === name);
    if (!p) throw new Error(`no parameter ${name}`);
    let v = b.slice(params, [p.offset], [p.offset + p.size], [0]);
    if (p.shape.length > 1) v = b.reshape(v, p.shape);
    views.set(name, v);
    return v;
  };
  return param;
}

function targetShape(s: NetShape): ['batch', number] {
  return ['batch', s.actDim];
}

export function buildTrainStepModel(spec: StepGraphSpec): { bytes: Uint8Array; layout: Layout } {
  const { shape: s } = spec;
  const dtype = spec.dtype ?? 'float32';
  const b = new GraphBuilder({ dtype });
  const layout = netLayout(s);
  const P = layout.size;
  const params = b.input('params', [P]);
  const m = b.input('m', [P]);
  const v = b.input('v', [P]);
  const t = b.input('step', []);
  const lr = b.input('lr', []);
  const obs = b.input('obs', ['batch', s.obsDim]);
  const target = b.input('target', targetShape(s));
  const weight = b.input('weight', ['batch']);

  const param = flatParams(b, layout, params);
  const heads = buildHeads(b, s, obs, param);
  const nll = buildNll(b, s, heads, target);
  const loss = b.reduceSum(b.mul(nll, weight));

  // Gradients with respect to each parameter view, flattened back into the flat layout.
  const views = layout.params.map((p) => param(p.name));
  const grads = gradients(b, loss, views);
  const flat = grads.map((g, i) => (layout.params[i]!.shape.length > 1 ? b.reshape(g, [layout.params[i]!.size]) : g));
  const g = b.concat(flat, 0);

  const [beta1, beta2] = ADAM_BETAS;
  const c = (x: number) => b.scalar(x);
  const gradNorm = b.sqrt(b.reduceSumSquare(g));
  // clip factor ∈ (0, 1]; 1 when clipping is off
  const factor = spec.clipNorm > 0 ? b.min([c(1), b.div(c(spec.clipNorm), b.add(gradNorm, c(1e-6)))]) : c(1);
  const c1 = b.mul(factor, c(1 - beta1));
  const c2 = b.mul(b.mul(factor, factor), c(1 - beta2));
  // The three [P] outputs are created under their output names (no Identity copy at the end).
  const mDecayed = b.mul(m, c(beta1));
  const mNew = b.mul(g, c1);
  const mOut = b.named('m_out', () => b.add(mDecayed, mNew));
  const vDecayed = b.mul(v, c(beta2));
  const vNew = b.mul(b.mul(g, g), c2);
  const vOut = b.named('v_out', () => b.add(vDecayed, vNew));
  const bc1 = b.sub(c(1), b.pow(c(beta1), t));
  const sqrtBc2 = b.sqrt(b.sub(c(1), b.pow(c(beta2), t)));
  const denom = b.add(b.sqrt(vOut), b.mul(sqrtBc2, c(ADAM_EPS)));
  const alpha = b.div(b.mul(lr, sqrtBc2), bc1);
  let stepSize: Value = alpha;
  const logStd = layout.params.find((p) => p.role === 'log_std');
  if (logStd && spec.logStdLrScale !== 1) {
    const scale = new Array<number>(P).fill(1);
    for (let i = 0; i < logStd.size; i++) scale[logStd.offset + i] = spec.logStdLrScale;
    stepSize = b.mul(b.const(scale, [P]), alpha);
  }
  let decayed: Value = params;
  if (spec.weightDecay > 0) {
    const mask = new Array<number>(P).fill(0);
    for (const p of layout.params) if (p.role === 'weight') for (let i = 0; i < p.size; i++) mask[p.offset + i] = spec.weightDecay;
    const decay = b.sub(c(1), b.mul(b.const(mask, [P]), lr));
    decayed = b.mul(params, decay);
  }
  const update = b.mul(b.div(mOut, denom), stepSize);
  const paramsOut = b.named('params_out', () => b.sub(decayed, update));

  b.output(paramsOut);
  b.output(mOut);
  b.output(vOut);
  b.output(loss, 'loss');
  b.output(gradNorm, 'grad_norm');
  return { bytes: b.encode({ graphName: `train_step_${s.kind}` }), layout };
}

export function buildEvalModel(spec: { shape: NetShape; dtype?: FloatType }): { bytes: Uint8Array; layout: Layout } {
  const s = spec.shape;
  const b = new GraphBuilder({ dtype: spec.dtype ?? 'float32' });
  const layout = netLayout(s);
  const params = b.input('params', [layout.size]);
  const obs = b.input('obs', ['batch', s.obsDim]);
  const target = b.input('target', targetShape(s));
  const heads = buildHeads(b, s, obs, flatParams(b, layout, params));
  b.output(buildNll(b, s, heads, target), 'nll');
  b.output(buildDeterministic(b, s, heads), 'pred');
  return { bytes: b.encode({ graphName: `eval_${s.kind}` }), layout };
}
