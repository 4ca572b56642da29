/**
 * Inference: load a policy file (this project's export, or an imported external model) and act with it.
 *
 * Public API
 *   loadPolicy(src: Uint8Array | string, opts?) → Promise<LoadedPolicy>
 *   LoadedPolicy
 *     kind               'categorical' | 'gaussian' | 'mixture' | 'deterministic' (external continuous, no std)
 *     obsDim, actionSpace, ensemble, metadata (PolicyMetadata | null for external models), sha256
 *     act(obs, n, { mode, rng }) → Promise<ActResult>     batched: obs is n × obsDim (row-major)
 *     actOne(obs, { mode, rng }) → Promise<SingleAct>    one state, preallocated tensors (lowest latency)
 *     release()
 *   ActResult: actions (Int32Array [n] | Float32Array [n × d], env units, clipped to the box), dist (the
 *   distribution outputs by name; ensembles stacked [n, M, …]), disagreement (ensembles: Float32Array [n]).
 *
 * Modes: 'deterministic' = argmax / mean / the most likely mixture component's mean (the graph's `action`);
 * 'sample' draws from the policy's distribution with the caller's seeded rng (ensembles: a uniformly chosen
 * member, i.e. the ensemble's equal-weight mixture).
 *
 * Disagreement (for state selection): categorical ensembles → mutual information
 * H(mean_m p_m) − mean_m H(p_m) in nats (0 when members agree); continuous ensembles → Σ_dims of the variance
 * of the members' deterministic actions, in normalised action units (box half-width = 1).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ActionSpace } from '../envs/types';
import { boxBounds, FORMAT, type PolicyMetadata, readPolicyMetadata } from './export';
import { EXTERNAL_FORMAT, readExternalMetadata } from './import';
import { decodeModel, metadataOf } from './onnx-proto';
import { createSession, ort, type SessionConfig } from './ort';
import { normal, type Rng } from './prng';

export type PolicyRuntimeKind = 'categorical' | 'gaussian' | 'mixture' | 'deterministic';

export interface ActOptions {
  mode?: 'deterministic' | 'sample';
  /** Required in sample mode. */
  rng?: Rng;
}

export interface ActResult {
  actions: Int32Array | Float32Array;
  dist: Record<string, Float32Array>;
  disagreement?: Float32Array;
}

export interface SingleAct {
  action: number | number[];
  dist: Record<string, Float32Array>;
  disagreement?: number;
}

export interface LoadedPolicy {
  kind: PolicyRuntimeKind;
  obsDim: number;
  actionSpace: ActionSpace;
  ensemble: number;
  metadata: PolicyMetadata | null;
  external: boolean;
  sha256: string;
  inputName: string;
  act(obs: Float32Array, n: number, opts?: ActOptions): Promise<ActResult>;
  actOne(obs: ArrayLike<number>, opts?: ActOptions): Promise<SingleAct>;
  release(): Promise<void>;
}

export class PolicyLoadError extends Error {
  override name = 'PolicyLoadError';
}

interface Io {
  input: string;
  /** graph output name → our name (logits, mean, …, action). */
  outputs: Record<string, string>;
}

interface Layout {
  kind: PolicyRuntimeKind;
  obsDim: number;
  actionSpace: ActionSpace;
  ensemble: number;
  components: number;
  metadata: PolicyMetadata | null;
  io: Io;
  hasActionOutput: boolean;
  /** Per-output dims for a batch of 1 (for preallocated single-state outputs). */
  singleDims: Record<string, number[]>;
  /** Normalised-unit scale of box dims (for disagreement), 1 when unknown. */
  actionScale: number[];
}

function describe(bytes: Uint8Array): Layout {
  const model = decodeModel(bytes);
  const md = metadataOf(model);
  if (md.format === FORMAT) {
    const meta = readPolicyMetadata(model);
    const space = meta.actionSpace.kind === 'box' ? { ...meta.actionSpace, ...boxBounds(meta.actionSpace) } : meta.actionSpace;
    const M = meta.ensemble;
    const d = meta.net.actDim;
    const K = meta.net.components;
    const lead = M > 1 ? [1, M] : [1];
    const outs: Record<string, number[]> =
      meta.policyClass === 'categorical'
        ? { action: [1], logits: [...lead, d] }
        : meta.policyClass === 'gaussian'
          ? { action: [1, d], mean: [...lead, d], log_std: [...lead, d] }
          : { action: [1, d], mix_logits: [...lead, K], means: [...lead, K, d], log_stds: [...lead, K, d] };
    return {
      kind: meta.policyClass,
      obsDim: meta.net.obsDim,
      actionSpace: space as ActionSpace,
      ensemble: M,
      components: K,
      metadata: meta,
      io: { input: 'obs', outputs: Object.fromEntries(Object.keys(outs).map((k) => [k, k])) },
      hasActionOutput: true,
      singleDims: outs,
      actionScale: meta.normalization.actionScale ?? new Array<number>(d).fill(1),
    };
  }
  if (md.format === EXTERNAL_FORMAT) {
    const ext = readExternalMetadata(model);
    const d = ext.actionSpace.kind === 'discrete' ? ext.actionSpace.n : ext.actionSpace.size;
    const name = ext.kind === 'categorical' ? 'logits' : 'mean';
    const sp = ext.actionSpace;
    const scale = sp.kind === 'box' ? sp.low.map((lo, j) => (Number.isFinite(lo) && Number.isFinite(sp.high[j]!) ? (sp.high[j]! - lo) / 2 : 1)) : [1];
    return {
      kind: ext.kind,
      obsDim: ext.obsDim,
      actionSpace: ext.actionSpace,
      ensemble: 1,
      components: 1,
      metadata: null,
      io: { input: ext.input, outputs: { [ext.output]: name } },
      hasActionOutput: false,
      singleDims: { [name]: [1, d] },
      actionScale: scale,
    };
  }
  throw new PolicyLoadError(
    `not a policy file this project can run: metadata_props "format" is ${md.format === undefined ? 'missing' : JSON.stringify(md.format)} (expected ${FORMAT}, or ${EXTERNAL_FORMAT} for a model brought in with importPolicy)`,
  );
}

const softmaxInto = (src: Float32Array, off: number, n: number, dst: Float64Array) => {
  let mx = -Infinity;
  for (let i = 0; i < n; i++) mx = Math.max(mx, src[off + i]!);
  let s = 0;
  for (let i = 0; i < n; i++) s += dst[i] = Math.exp(src[off + i]! - mx);
  for (let i = 0; i < n; i++) dst[i]! /= s;
};

const pick = (p: Float64Array, n: number, u: number) => {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += p[i]!;
    if (u < acc) return i;
  }
  return n - 1;
};

export async function loadPolicy(src: Uint8Array | string, opts: { session?: SessionConfig } = {}): Promise<LoadedPolicy> {
  const bytes = typeof src === 'string' ? new Uint8Array(await readFile(src)) : src;
  const L = describe(bytes);
  let session: ort.InferenceSession;
  try {
    session = await createSession(bytes, opts.session ?? { threads: 1 });
  } catch (e) {
    throw new PolicyLoadError(`onnxruntime could not load the policy: ${(e as Error).message}`);
  }
  const { kind, obsDim, actionSpace: space, ensemble: M, components: K } = L;
  const discrete = space.kind === 'discrete';
  const d = discrete ? space.n : space.size;
  const bounds = space.kind === 'box' ? { low: space.low, high: space.high } : null;
  const byOurName = Object.fromEntries(Object.entries(L.io.outputs).map(([g, ours]) => [ours, g]));

  const clip = (v: number, j: number) => (bounds ? Math.min(Math.max(v, bounds.low[j] ?? -Infinity), bounds.high[j] ?? Infinity) : v);

  /** Fills actions / disagreement for n rows from the distribution outputs. */
  function post(n: number, dist: Record<string, Float32Array>, actionOut: Float32Array | BigInt64Array | undefined, o: ActOptions): { actions: Int32Array | Float32Array; disagreement?: Float32Array } {
    const mode = o.mode ?? 'deterministic';
    const rng = o.rng;
    if (mode === 'sample' && !rng) throw new Error('act: sample mode needs an rng (randomness is seeded and passed in)');
    const actions = discrete ? new Int32Array(n) : new Float32Array(n * d);
    const probs = new Float64Array(Math.max(d, K));
    const mean = new Float64Array(d);
    let disagreement: Float32Array | undefined;
    if (M > 1) disagreement = new Float32Array(n);

    if (kind === 'categorical') {
      const logits = dist.logits!;
      if (M === 1 && mode === 'deterministic' && actionOut) {
        // Fast path (rollouts, evaluation): the graph's argmax is the action.
        for (let i = 0; i < n; i++) actions[i] = Number(actionOut[i]);
        return { actions };
      }
      for (let i = 0; i < n; i++) {
        // Mean of the members' probabilities (M = 1: the policy's own).
        mean.fill(0);
        let memberEntropy = 0;
        for (let m = 0; m < M; m++) {
          softmaxInto(logits, (i * M + m) * d, d, probs);
          for (let a = 0; a < d; a++) {
            mean[a]! += probs[a]! / M;
            if (probs[a]! > 0) memberEntropy -= (probs[a]! * Math.log(probs[a]!)) / M;
          }
        }
        if (disagreement) {
          let h = 0;
          for (let a = 0; a < d; a++) if (mean[a]! > 0) h -= mean[a]! * Math.log(mean[a]!);
          disagreement[i] = Math.max(0, h - memberEntropy);
        }
        if (mode === 'sample') actions[i] = pick(mean, d, rng!.next());
        else if (actionOut) actions[i] = Number(actionOut[i]);
        else {
          let best = 0;
          for (let a = 1; a < d; a++) if (mean[a]! > mean[best]!) best = a;
          actions[i] = best;
        }
      }
      return { actions, disagreement };
    }

    // Continuous: per-member deterministic actions (for disagreement and sampling's member choice).
    const memberAction = (i: number, m: number, j: number): number => {
      if (kind === 'mixture') {
        const ml = dist.mix_logits!;
        let best = 0;
        for (let k = 1; k < K; k++) if (ml[(i * M + m) * K + k]! > ml[(i * M + m) * K + best]!) best = k;
        return dist.means![((i * M + m) * K + best) * d + j]!;
      }
      return dist.mean![(i * M + m) * d + j]!;
    };
    for (let i = 0; i < n; i++) {
      if (disagreement) {
        let tot = 0;
        for (let j = 0; j < d; j++) {
          let s = 0;
          let s2 = 0;
          for (let m = 0; m < M; m++) {
            const a = memberAction(i, m, j) / (L.actionScale[j] ?? 1);
            s += a;
            s2 += a * a;
          }
          tot += Math.max(0, s2 / M - (s / M) ** 2);
        }
        disagreement[i] = tot;
      }
      if (mode === 'deterministic' || kind === 'deterministic') {
        for (let j = 0; j < d; j++) actions[i * d + j] = actionOut ? (actionOut as Float32Array)[i * d + j]! : clip(memberAction(i, 0, j), j);
        continue;
      }
      const m = M > 1 ? Math.min(M - 1, Math.floor(rng!.next() * M)) : 0;
      if (kind === 'gaussian') {
        for (let j = 0; j < d; j++) {
          const mu = dist.mean![(i * M + m) * d + j]!;
          const ls = dist.log_std![(i * M + m) * d + j]!;
          actions[i * d + j] = clip(mu + Math.exp(ls) * normal(rng!), j);
        }
      } else {
        softmaxInto(dist.mix_logits!, (i * M + m) * K, K, probs);
        const k = pick(probs, K, rng!.next());
        for (let j = 0; j < d; j++) {
          const base = ((i * M + m) * K + k) * d + j;
          actions[i * d + j] = clip(dist.means![base]! + Math.exp(dist.log_stds![base]!) * normal(rng!), j);
        }
      }
    }
    return { actions, disagreement };
  }

  async function act(obs: Float32Array, n: number, o: ActOptions = {}): Promise<ActResult> {
    if (!Number.isInteger(n) || n < 1) throw new Error(`act: n must be a positive integer, got ${n}`);
    if (obs.length < n * obsDim) throw new Error(`act: ${obs.length} observation values for n = ${n} states of ${obsDim}`);
    const x = obs.length === n * obsDim ? obs : obs.subarray(0, n * obsDim);
    const out = await session.run({ [L.io.input]: new ort.Tensor('float32', x, [n, obsDim]) });
    const dist: Record<string, Float32Array> = {};
    for (const [g, ours] of Object.entries(L.io.outputs)) if (ours !== 'action') dist[ours] = out[g]!.data as Float32Array;
    const actionOut = L.hasActionOutput ? (out[byOurName.action!]!.data as Float32Array | BigInt64Array) : undefined;
    return { dist, ...post(n, dist, actionOut, o) };
  }

  // Single-state path: one input tensor and one tensor per output, allocated once and reused per call.
  const oneIn = new Float32Array(obsDim);
  const oneFeeds = { [L.io.input]: new ort.Tensor('float32', oneIn, [1, obsDim]) };
  const oneOut: Record<string, ort.Tensor> = {};
  for (const [g, ours] of Object.entries(L.io.outputs)) {
    const dims = L.singleDims[ours]!;
    const size = dims.reduce((a, b) => a * b, 1);
    oneOut[g] = ours === 'action' && discrete ? new ort.Tensor('int64', new BigInt64Array(size), dims) : new ort.Tensor('float32', new Float32Array(size), dims);
  }

  let oneBusy = false;
  async function actOne(obs: ArrayLike<number>, o: ActOptions = {}): Promise<SingleAct> {
    if (obs.length !== obsDim) throw new Error(`actOne: observation has ${obs.length} values, the policy expects ${obsDim}`);
    let dist: Record<string, Float32Array> = {};
    let r: { actions: Int32Array | Float32Array; disagreement?: Float32Array };
    if (oneBusy) {
      // A call is already using the preallocated tensors (concurrent callers): take the allocating path.
      const res = await act(Float32Array.from(obs), 1, o);
      dist = res.dist;
      r = res;
    } else {
      oneBusy = true;
      try {
        oneIn.set(obs);
        await session.run(oneFeeds, oneOut);
        for (const [g, ours] of Object.entries(L.io.outputs)) if (ours !== 'action') dist[ours] = Float32Array.from(oneOut[g]!.data as Float32Array);
        const actionOut = L.hasActionOutput ? (oneOut[byOurName.action!]!.data as Float32Array | BigInt64Array) : undefined;
        r = post(1, dist, actionOut, o);
      } finally {
        oneBusy = false;
      }
    }
    return {
      action: discrete ? r.actions[0]! : Array.from(r.actions),
      dist,
      ...(r.disagreement ? { disagreement: r.disagreement[0]! } : {}),
    };
  }

  return {
    kind,
    obsDim,
    actionSpace: space,
    ensemble: M,
    metadata: L.metadata,
    external: L.metadata === null,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    inputName: L.io.input,
    act,
    actOne,
    release: () => session.release(),
  };
}
