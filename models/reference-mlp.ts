/**
 * An independent plain-TypeScript implementation (float64) of one training step — MLP forward, hand-written
 * backward pass, global-norm clipping and AdamW — for categorical and diagonal-Gaussian policies. It shares
 * nothing with the graph code but the parameter layout (netLayout), and exists to test train-graph.ts.
 */
import { type NetShape, netLayout } from './policy-net';
import { ADAM_BETAS, ADAM_EPS } from './train-graph';

export interface RefHyper {
  lr: number;
  weightDecay: number;
  clipNorm: number;
  logStdLrScale: number;
}

export interface RefState {
  params: Float64Array;
  m: Float64Array;
  v: Float64Array;
}

type Mat = { rows: number; cols: number; data: Float64Array };

function view(params: Float64Array, offset: number, rows: number, cols: number): Mat {
  return { rows, cols, data: params.subarray(offset, offset + rows * cols) };
}

/** y[b, o] = Σ_i x[b, i] · W[o, i] + bias[o] */
function linear(x: Mat, W: Mat, bias: Float64Array): Mat {
  const out = new Float64Array(x.rows * W.rows);
  for (let b = 0; b < x.rows; b++)
    for (let o = 0; o < W.rows; o++) {
      let s = bias[o]!;
      for (let i = 0; i < x.cols; i++) s += x.data[b * x.cols + i]! * W.data[o * W.cols + i]!;
      out[b * W.rows + o] = s;
    }
  return { rows: x.rows, cols: W.rows, data: out };
}

export function referenceStep(s: NetShape, st: RefState, t: number, h: RefHyper, obs: Float64Array, target: Float64Array, weight: Float64Array): { state: RefState; loss: number; gradNorm: number } {
  if (s.kind === 'mixture') throw new Error('reference: mixture is not implemented');
  const layout = netLayout(s);
  const P = layout.size;
  const get = (name: string) => layout.params.find((p) => p.name === name)!;
  const Bn = weight.length;
  const params = st.params;

  // Forward.
  const acts: Mat[] = [{ rows: Bn, cols: s.obsDim, data: obs }];
  const pre: Mat[] = [];
  s.hidden.forEach((hsz, i) => {
    const W = get(`l${i}.weight`);
    const bb = get(`l${i}.bias`);
    const z = linear(acts[i]!, view(params, W.offset, hsz, W.shape[1]!), params.subarray(bb.offset, bb.offset + hsz));
    pre.push(z);
    acts.push({ rows: Bn, cols: hsz, data: z.data.map((v) => (s.activation === 'relu' ? Math.max(0, v) : Math.tanh(v))) });
  });
  const hLast = acts[acts.length - 1]!;
  const headName = s.kind === 'categorical' ? 'logits' : 'mean';
  const HW = get(`${headName}.weight`);
  const Hb = get(`${headName}.bias`);
  const out = linear(hLast, view(params, HW.offset, s.actDim, HW.shape[1]!), params.subarray(Hb.offset, Hb.offset + s.actDim));

  const grad = new Float64Array(P);
  const dOut = new Float64Array(Bn * s.actDim);
  let loss = 0;
  const d = s.actDim;
  if (s.kind === 'categorical') {
    for (let b = 0; b < Bn; b++) {
      const z = out.data.subarray(b * d, (b + 1) * d);
      const mx = Math.max(...z);
      const lse = mx + Math.log(z.reduce((a, q) => a + Math.exp(q - mx), 0));
      let tsum = 0;
      for (let j = 0; j < d; j++) tsum += target[b * d + j]!;
      for (let j = 0; j < d; j++) {
        const logp = z[j]! - lse;
        loss -= weight[b]! * target[b * d + j]! * logp;
        dOut[b * d + j] = weight[b]! * (Math.exp(logp) * tsum - target[b * d + j]!);
      }
    }
  } else {
    const ls = get('log_std');
    const logStd = params.subarray(ls.offset, ls.offset + d);
    for (let b = 0; b < Bn; b++) {
      let nll = d * 0.5 * Math.log(2 * Math.PI) + (s.logScaleSum ?? 0);
      for (let j = 0; j < d; j++) {
        const inv = Math.exp(-logStd[j]!);
        const z = (target[b * d + j]! - out.data[b * d + j]!) * inv;
        nll += 0.5 * z * z + logStd[j]!;
        dOut[b * d + j] = -weight[b]! * z * inv;
        grad[ls.offset + j]! += weight[b]! * (1 - z * z);
      }
      loss += weight[b]! * nll;
    }
  }

  // Backward through the linear layers.
  const backLinear = (dZ: Float64Array, x: Mat, Wspec: { offset: number }, bspec: { offset: number }, outDim: number, needDx: boolean): Float64Array | null => {
    for (let b = 0; b < Bn; b++)
      for (let o = 0; o < outDim; o++) {
        const g = dZ[b * outDim + o]!;
        grad[bspec.offset + o]! += g;
        for (let i = 0; i < x.cols; i++) grad[Wspec.offset + o * x.cols + i]! += g * x.data[b * x.cols + i]!;
      }
    if (!needDx) return null;
    const dx = new Float64Array(Bn * x.cols);
    for (let b = 0; b < Bn; b++)
      for (let i = 0; i < x.cols; i++) {
        let sum = 0;
        for (let o = 0; o < outDim; o++) sum += dZ[b * outDim + o]! * params[Wspec.offset + o * x.cols + i]!;
        dx[b * x.cols + i] = sum;
      }
    return dx;
  };
  let dH = backLinear(dOut, hLast, HW, Hb, d, s.hidden.length > 0);
  for (let i = s.hidden.length - 1; i >= 0; i--) {
    const hsz = s.hidden[i]!;
    const dZ = new Float64Array(Bn * hsz);
    for (let k = 0; k < dZ.length; k++) {
      const a = acts[i + 1]!.data[k]!;
      dZ[k] = dH![k]! * (s.activation === 'relu' ? (pre[i]!.data[k]! > 0 ? 1 : 0) : 1 - a * a);
    }
    dH = backLinear(dZ, acts[i]!, get(`l${i}.weight`), get(`l${i}.bias`), hsz, i > 0);
  }

  // Global-norm clipping and AdamW (PyTorch order).
  let sq = 0;
  for (let k = 0; k < P; k++) sq += grad[k]! * grad[k]!;
  const gradNorm = Math.sqrt(sq);
  const factor = h.clipNorm > 0 ? Math.min(1, h.clipNorm / (gradNorm + 1e-6)) : 1;
  const [b1, b2] = ADAM_BETAS;
  const next: RefState = { params: new Float64Array(P), m: new Float64Array(P), v: new Float64Array(P) };
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  for (const p of layout.params) {
    const lrScale = p.role === 'log_std' ? h.logStdLrScale : 1;
    const wd = p.role === 'weight' ? h.weightDecay : 0;
    for (let k = p.offset; k < p.offset + p.size; k++) {
      const g = grad[k]! * factor;
      const m = b1 * st.m[k]! + (1 - b1) * g;
      const v = b2 * st.v[k]! + (1 - b2) * g * g;
      next.m[k] = m;
      next.v[k] = v;
      const decayed = st.params[k]! * (1 - h.lr * wd);
      next.params[k] = decayed - ((h.lr * lrScale) / bc1) * (m / (Math.sqrt(v / bc2) + ADAM_EPS));
    }
  }
  return { state: next, loss, gradNorm };
}
