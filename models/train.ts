/**
 * Training: behaviour cloning of a policy on a labelled dataset, with the optimiser step as one ONNX graph
 * run by onnxruntime-node (see train-graph.ts), step after step, in one session per policy shape.
 *
 * Public API
 *   trainPolicy(input: TrainInput) → Promise<TrainResult>            in this thread (session.run blocks it)
 *   trainPolicyInWorker(input: TrainInput) → Promise<TrainResult>    the same in a worker_thread; progress
 *                                                                    events are forwarded to input.onProgress
 *   validateDataset(obs, obsDim, actions, actionSpace) → { n, actions: Float32Array }
 *   datasetHash(obs, obsDim, actions) → string                       sha256 hex of the canonical bytes
 *   StepRunner.create(shape, hyper, batchSize, session) → StepRunner  the optimiser-step loop on its own
 *                                                                    (what trainPolicy and bench/train.ts run)
 *   tsWorker(url, options) → Worker                                   a worker_thread on a .ts module
 *   TrainingDataError, TrainingAbortedError                          empty data, NaN/Infinity (names the row), bad labels
 *
 * TrainInput: obs (Float32Array, n × obsDim row-major), obsDim, actions (discrete: n indices; box: n × d
 * flat or n arrays), actionSpace, config (PolicyConfigInput, see policy-spec.ts), seed (overrides
 * config.seed), onProgress, meta (env id, spaces, round, created-by: goes into the ONNX metadata),
 * session ({ threads }), signal (AbortSignal, checked between epochs).
 *
 * Procedure (seeded; the same input and seed give bit-identical weights and bytes):
 *   1. validate; fit the observation normaliser on the whole dataset; scale box actions to [−1, 1]
 *   2. hold out valFraction of the rows (seeded permutation) for validation / early stopping
 *   3. per ensemble member k: init weights with seed k, draw a bootstrap resample of the training rows
 *      (ensembles only), then epochs of shuffled minibatches; after each epoch evaluate on the held-out
 *      rows and keep the best weights; stop after `patience` epochs without improvement
 *   4. export the best weights of every member as one forward-only ONNX file (export.ts)
 *
 * Threads: sessions use 1 intra-op thread unless input.session says otherwise. On the 2-core target, 2
 * threads give +2–30 % steps/s on 256-wide nets (bench/train.ts) and nothing on 64-wide ones; the weights
 * came out bit-identical with 1 and 2 threads in our runs, but only 1 thread is what the tests pin down.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ActionSpace, BoxSpace } from '../envs/types';
import { exportPolicy, type ExportMeta } from './export';
import { actionScaling, type ActionScaling, fitObsNormalizer, normalizeActions, normalizeObs, type ObsNormalizer } from './normalization';
import { createSession, ort, type SessionConfig } from './ort';
import { initParams, type NetShape } from './policy-net';
import { type PolicyConfig, type PolicyConfigInput, resolvePolicyConfig } from './policy-spec';
import { deriveSeed, mulberry32, shuffleInPlace } from './prng';
import { buildEvalModel, buildTrainStepModel } from './train-graph';

export type ActionsInput = ArrayLike<number> | readonly (readonly number[])[];

export interface TrainMeta {
  envId?: string | null;
  observationSpace?: BoxSpace | null;
  round?: number | null;
  createdBy?: string;
}

export interface TrainInput {
  /** n × obsDim observations, row-major. */
  obs: Float32Array;
  obsDim: number;
  /** Discrete: n action indices. Box: n × d values (flat) or n arrays of d. */
  actions: ActionsInput;
  actionSpace: ActionSpace;
  config?: PolicyConfigInput;
  /** Overrides config.seed. */
  seed?: number;
  onProgress?: (e: TrainProgress) => void;
  meta?: TrainMeta;
  session?: SessionConfig;
  signal?: AbortSignal;
}

export interface TrainProgress {
  /** 0-based ensemble member. */
  member: number;
  members: number;
  /** 1-based epoch. */
  epoch: number;
  maxEpochs: number;
  /** Mean minibatch loss over the epoch (cross-entropy or NLL, env units). */
  trainLoss: number;
  /** Mean loss on the held-out rows (null without a validation split). */
  valLoss: number | null;
  /** Categorical: fraction of held-out rows whose argmax equals the label. */
  valAccuracy: number | null;
  /** Continuous: mean squared error of the deterministic action on held-out rows (env units). */
  valMse: number | null;
  /** The epoch whose weights are kept so far. */
  bestEpoch: number;
}

export interface MemberMetrics {
  member: number;
  seed: number;
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  valMse: number | null;
}

export interface TrainMetrics {
  /** At each member's best epoch, averaged over members. */
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  valMse: number | null;
  /** Epochs run (the most over members). */
  epochs: number;
  bestEpoch: number;
  steps: number;
  trainSamples: number;
  valSamples: number;
  members: MemberMetrics[];
  durationMs: number;
}

export interface TrainResult {
  onnx: Uint8Array;
  metrics: TrainMetrics;
  config: PolicyConfig;
  datasetHash: string;
  normalization: ObsNormalizer;
}

export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

export class TrainingAbortedError extends Error {
  override name = 'TrainingAbortedError';
}

// ------------------------------------------------------------------------------------------------ data

function flattenActions(actions: ActionsInput): ArrayLike<number> {
  const first = (actions as ArrayLike<unknown>)[0];
  if (Array.isArray(first)) return (actions as readonly (readonly number[])[]).flat();
  return actions as ArrayLike<number>;
}

/** Checks shapes and values; returns the row count and the actions as a flat Float32Array. */
export function validateDataset(obs: Float32Array, obsDim: number, actionsIn: ActionsInput, space: ActionSpace): { n: number; actions: Float32Array } {
  if (!(obs instanceof Float32Array)) throw new TrainingDataError('observations must be a Float32Array');
  if (!Number.isInteger(obsDim) || obsDim < 1) throw new TrainingDataError(`obsDim must be a positive integer, got ${obsDim}`);
  if (obs.length === 0) throw new TrainingDataError('the dataset is empty: no observations to train on');
  if (obs.length % obsDim !== 0) throw new TrainingDataError(`observations hold ${obs.length} values, not a multiple of obsDim ${obsDim}`);
  const n = obs.length / obsDim;
  const actions = flattenActions(actionsIn);
  const per = space.kind === 'discrete' ? 1 : space.size;
  if (actions.length !== n * per) {
    throw new TrainingDataError(`${n} observation rows but ${actions.length} action values (expected ${n * per}: ${space.kind === 'discrete' ? 'one index per row' : `${per} per row`})`);
  }
  for (let i = 0; i < obs.length; i++) {
    if (!Number.isFinite(obs[i]!)) {
      const row = Math.floor(i / obsDim);
      throw new TrainingDataError(`observation row ${row} (0-based) contains ${obs[i]} at feature ${i % obsDim}: training data must be finite`);
    }
  }
  const out = new Float32Array(actions.length);
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    const row = Math.floor(i / per);
    if (typeof a !== 'number' || !Number.isFinite(a)) throw new TrainingDataError(`action row ${row} (0-based) is ${a}: training data must be finite`);
    if (space.kind === 'discrete' && (!Number.isInteger(a) || a < 0 || a >= space.n)) throw new TrainingDataError(`action row ${row} (0-based) is ${a}: expected an integer in [0, ${space.n - 1}]`);
    out[i] = a;
  }
  return { n, actions: out };
}

/** sha256 of: "obs:<obsDim>:<n>\n", the observations (float32 LE), "actions\n", the actions (float32 LE). */
export function datasetHash(obs: Float32Array, obsDim: number, actions: Float32Array): string {
  const h = createHash('sha256');
  h.update(`obs:${obsDim}:${obs.length / obsDim}\n`);
  h.update(new Uint8Array(obs.buffer, obs.byteOffset, obs.byteLength));
  h.update('actions\n');
  h.update(new Uint8Array(actions.buffer, actions.byteOffset, actions.byteLength));
  return h.digest('hex');
}

// ------------------------------------------------------------------------------------------------ sessions

/** One session per graph (policy shape + optimiser constants), reused across members and calls. */
const sessionCache = new Map<string, Promise<ort.InferenceSession>>();
const SESSION_CACHE_SIZE = 6;

async function cachedSession(bytes: Uint8Array, cfg: SessionConfig): Promise<ort.InferenceSession> {
  const key = createHash('sha256').update(bytes).update(JSON.stringify(cfg)).digest('hex');
  let s = sessionCache.get(key);
  if (s) {
    sessionCache.delete(key);
    sessionCache.set(key, s);
    return s;
  }
  s = createSession(bytes, cfg);
  s.catch(() => sessionCache.delete(key));
  sessionCache.set(key, s);
  while (sessionCache.size > SESSION_CACHE_SIZE) {
    const oldest = sessionCache.keys().next().value as string;
    const old = sessionCache.get(oldest);
    sessionCache.delete(oldest);
    void old?.then((x) => x.release()).catch(() => undefined);
  }
  return s;
}

// ------------------------------------------------------------------------------------------------ training

interface Prepared {
  config: PolicyConfig;
  shape: NetShape;
  n: number;
  obsN: Float32Array;
  /** Network targets: one-hot rows (categorical) or normalised actions. */
  targets: Float32Array;
  tDim: number;
  /** Raw actions (indices or env units). */
  actions: Float32Array;
  scaling: ActionScaling | null;
  norm: ObsNormalizer;
  hash: string;
}

function prepare(input: TrainInput): Prepared {
  const config = resolvePolicyConfig({ ...(input.config ?? {}), ...(input.seed !== undefined ? { seed: input.seed } : {}) }, input.actionSpace);
  const { n, actions } = validateDataset(input.obs, input.obsDim, input.actions, input.actionSpace);
  const space = input.actionSpace;
  const scaling = actionScaling(space);
  const actDim = space.kind === 'discrete' ? space.n : space.size;
  const shape: NetShape = {
    kind: config.kind,
    obsDim: input.obsDim,
    actDim,
    hidden: config.hidden,
    activation: config.activation,
    components: config.components,
    logScaleSum: scaling ? scaling.scale.reduce((a, s) => a + Math.log(s), 0) : 0,
  };
  const norm = fitObsNormalizer(input.obs, n, input.obsDim);
  const obsN = normalizeObs(input.obs, norm);
  let targets: Float32Array;
  if (space.kind === 'discrete') {
    targets = new Float32Array(n * actDim);
    for (let i = 0; i < n; i++) targets[i * actDim + actions[i]!] = 1;
  } else {
    targets = normalizeActions(actions, scaling!);
  }
  return { config, shape, n, obsN, targets, tDim: actDim, actions, scaling, norm, hash: datasetHash(input.obs, input.obsDim, actions) };
}

/** Evaluates flat params on rows `idx`: mean NLL, and accuracy (categorical) or MSE in env units. */
async function evaluate(session: ort.InferenceSession, p: Prepared, params: Float32Array, idx: Uint32Array) {
  const { shape: s, obsN, targets, tDim } = p;
  const CHUNK = 4096;
  let nll = 0;
  let correct = 0;
  let se = 0;
  for (let start = 0; start < idx.length; start += CHUNK) {
    const rows = idx.subarray(start, Math.min(idx.length, start + CHUNK));
    const B = rows.length;
    const o = new Float32Array(B * s.obsDim);
    const t = new Float32Array(B * tDim);
    rows.forEach((r, i) => {
      o.set(obsN.subarray(r * s.obsDim, (r + 1) * s.obsDim), i * s.obsDim);
      t.set(targets.subarray(r * tDim, (r + 1) * tDim), i * tDim);
    });
    const out = await session.run({
      params: new ort.Tensor('float32', params, [params.length]),
      obs: new ort.Tensor('float32', o, [B, s.obsDim]),
      target: new ort.Tensor('float32', t, [B, tDim]),
    });
    const l = out.nll!.data as Float32Array;
    for (let i = 0; i < B; i++) nll += l[i]!;
    if (s.kind === 'categorical') {
      const pred = out.pred!.data as BigInt64Array;
      rows.forEach((r, i) => {
        if (Number(pred[i]) === p.actions[r]) correct++;
      });
    } else {
      const pred = out.pred!.data as Float32Array;
      const sc = p.scaling!;
      rows.forEach((r, i) => {
        for (let j = 0; j < tDim; j++) {
          const a = pred[i * tDim + j]! * sc.scale[j]! + sc.center[j]!;
          const e = a - p.actions[r * tDim + j]!;
          se += e * e;
        }
      });
    }
  }
  const m = idx.length;
  return {
    loss: nll / m,
    accuracy: s.kind === 'categorical' ? correct / m : null,
    mse: s.kind === 'categorical' ? null : se / (m * tDim),
  };
}

/**
 * Runs the training-step graph step after step for one policy shape: the session is created once (and cached
 * per graph), weights / moments live in two ping-pong buffer sets that ORT reads and writes in turn, and
 * minibatches are gathered into preallocated buffers — no per-step allocation but a few Tensor wrappers.
 */
export class StepRunner {
  private readonly bufs: { params: Float32Array; m: Float32Array; v: Float32Array }[];
  private readonly tensors: { params: ort.Tensor; m: ort.Tensor; v: ort.Tensor }[];
  private readonly obsBuf: Float32Array;
  private readonly tgtBuf: Float32Array;
  private readonly wBuf: Float32Array;
  private readonly lossBuf = new Float32Array(1);
  private readonly lossT: ort.Tensor;
  private readonly gnT = new ort.Tensor('float32', new Float32Array(1), []);
  private readonly stepBuf = new Float32Array(1);
  private readonly stepT: ort.Tensor;
  private readonly lrBuf = new Float32Array(1);
  private readonly lrT: ort.Tensor;
  private cur = 0;
  /** Optimiser steps taken since the last reset (AdamW's t). */
  t = 0;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly shape: NetShape,
    readonly size: number,
    readonly batchSize: number,
  ) {
    const P = size;
    const tDim = shape.actDim;
    this.bufs = [0, 1].map(() => ({ params: new Float32Array(P), m: new Float32Array(P), v: new Float32Array(P) }));
    this.tensors = this.bufs.map((b) => ({ params: new ort.Tensor('float32', b.params, [P]), m: new ort.Tensor('float32', b.m, [P]), v: new ort.Tensor('float32', b.v, [P]) }));
    this.obsBuf = new Float32Array(batchSize * shape.obsDim);
    this.tgtBuf = new Float32Array(batchSize * tDim);
    this.wBuf = new Float32Array(batchSize);
    this.lossT = new ort.Tensor('float32', this.lossBuf, []);
    this.stepT = new ort.Tensor('float32', this.stepBuf, []);
    this.lrT = new ort.Tensor('float32', this.lrBuf, []);
  }

  static async create(shape: NetShape, hyper: { weightDecay: number; clipNorm: number; logStdLrScale: number }, batchSize: number, session: SessionConfig = { threads: 1 }): Promise<StepRunner> {
    const { bytes, layout } = buildTrainStepModel({ shape, ...hyper });
    return new StepRunner(await cachedSession(bytes, session), shape, layout.size, batchSize);
  }

  /** Starts from `params` with zero moments and t = 0. */
  reset(params: Float32Array): void {
    if (params.length !== this.size) throw new Error(`StepRunner.reset: ${params.length} parameters, the network has ${this.size}`);
    this.cur = 0;
    this.t = 0;
    this.bufs[0]!.params.set(params);
    this.bufs[0]!.m.fill(0);
    this.bufs[0]!.v.fill(0);
  }

  /** The current weights (a view: copy it to keep it across steps). */
  get params(): Float32Array {
    return this.bufs[this.cur]!.params;
  }

  /**
   * One AdamW step on rows `rows[start, start + count)` of (obs, targets), each with weight 1/count.
   * Returns the minibatch loss (before the step).
   */
  async step(obsN: Float32Array, targets: Float32Array, rows: Uint32Array, start: number, count: number, lr: number): Promise<number> {
    const { obsDim, actDim: tDim } = this.shape;
    const B = Math.min(count, this.batchSize);
    // Gather the minibatch rows (plain loops: cheaper than a subarray view per row for short rows).
    const { obsBuf, tgtBuf } = this;
    for (let i = 0; i < B; i++) {
      const r = rows[start + i]!;
      for (let j = 0, src = r * obsDim, dst = i * obsDim; j < obsDim; j++) obsBuf[dst + j] = obsN[src + j]!;
      for (let j = 0, src = r * tDim, dst = i * tDim; j < tDim; j++) tgtBuf[dst + j] = targets[src + j]!;
    }
    this.wBuf.fill(1 / B, 0, B);
    this.t++;
    this.stepBuf[0] = this.t;
    this.lrBuf[0] = lr;
    const a = this.tensors[this.cur]!;
    const o = this.tensors[1 - this.cur]!;
    const full = B === this.batchSize;
    await this.session.run(
      {
        params: a.params,
        m: a.m,
        v: a.v,
        step: this.stepT,
        lr: this.lrT,
        obs: new ort.Tensor('float32', full ? this.obsBuf : this.obsBuf.subarray(0, B * obsDim), [B, obsDim]),
        target: new ort.Tensor('float32', full ? this.tgtBuf : this.tgtBuf.subarray(0, B * tDim), [B, tDim]),
        weight: new ort.Tensor('float32', full ? this.wBuf : this.wBuf.subarray(0, B), [B]),
      },
      { params_out: o.params, m_out: o.m, v_out: o.v, loss: this.lossT, grad_norm: this.gnT },
    );
    this.cur = 1 - this.cur;
    return this.lossBuf[0]!;
  }
}

function checkAbort(signal?: AbortSignal) {
  if (signal?.aborted) throw new TrainingAbortedError('training was aborted');
}

export async function trainPolicy(input: TrainInput): Promise<TrainResult> {
  const t0 = performance.now();
  const p = prepare(input);
  const { config: cfg, shape: s, n, obsN, targets } = p;
  const sessionCfg = input.session ?? { threads: 1 };

  // Validation split (seeded). Tiny datasets keep every row for training and early-stop on training loss.
  const perm = shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), mulberry32(deriveSeed(cfg.seed, 1)));
  const nVal = n >= 10 ? Math.floor(n * cfg.valFraction) : 0;
  const valIdx = perm.slice(0, nVal).sort();
  const trainIdx = perm.slice(nVal).sort();

  const evalSession = await cachedSession(buildEvalModel({ shape: s }).bytes, sessionCfg);
  const bs = Math.min(cfg.batchSize, trainIdx.length);
  const runner = await StepRunner.create(s, { weightDecay: cfg.weightDecay, clipNorm: cfg.clipNorm, logStdLrScale: cfg.logStdLrScale }, bs, sessionCfg);

  const members: Float32Array[] = [];
  const memberMetrics: MemberMetrics[] = [];
  let totalSteps = 0;

  for (let k = 0; k < cfg.ensemble; k++) {
    const memberSeed = deriveSeed(cfg.seed, 2, k);
    // Members of an ensemble see different bootstrap resamples of the training rows.
    let rows = trainIdx;
    if (cfg.ensemble > 1) {
      const rng = mulberry32(deriveSeed(memberSeed, 3));
      rows = Uint32Array.from({ length: trainIdx.length }, () => trainIdx[Math.floor(rng.next() * trainIdx.length)]!);
    }
    const order = Uint32Array.from(rows);
    const shuffleRng = mulberry32(deriveSeed(memberSeed, 4));
    runner.reset(initParams(s, deriveSeed(memberSeed, 5)));
    let best = { score: Infinity, epoch: 0, params: Float32Array.from(runner.params), trainLoss: NaN, val: null as Awaited<ReturnType<typeof evaluate>> | null };
    let epoch = 0;
    for (epoch = 1; epoch <= cfg.epochs; epoch++) {
      checkAbort(input.signal);
      shuffleInPlace(order, shuffleRng);
      let lossSum = 0;
      for (let start = 0; start < order.length; start += bs) {
        const B = Math.min(bs, order.length - start);
        lossSum += (await runner.step(obsN, targets, order, start, B, cfg.lr)) * B;
      }
      totalSteps += Math.ceil(order.length / bs);
      const trainLoss = lossSum / order.length;
      const current = runner.params;
      const val = nVal > 0 ? await evaluate(evalSession, p, current, valIdx) : null;
      const score = val ? val.loss : trainLoss;
      if (!Number.isFinite(trainLoss)) throw new Error(`training diverged: loss is ${trainLoss} at epoch ${epoch} of member ${k} (try a lower lr)`);
      if (score < best.score) best = { score, epoch, params: Float32Array.from(current), trainLoss, val };
      input.onProgress?.({
        member: k,
        members: cfg.ensemble,
        epoch,
        maxEpochs: cfg.epochs,
        trainLoss,
        valLoss: val?.loss ?? null,
        valAccuracy: val?.accuracy ?? null,
        valMse: val?.mse ?? null,
        bestEpoch: best.epoch,
      });
      if (cfg.patience > 0 && epoch - best.epoch >= cfg.patience) break;
    }
    members.push(best.params);
    memberMetrics.push({
      member: k,
      seed: memberSeed,
      epochs: Math.min(epoch, cfg.epochs),
      bestEpoch: best.epoch,
      trainLoss: best.trainLoss,
      valLoss: best.val?.loss ?? null,
      valAccuracy: best.val?.accuracy ?? null,
      valMse: best.val?.mse ?? null,
    });
  }

  const meta: ExportMeta = {
    envId: input.meta?.envId ?? null,
    observationSpace: input.meta?.observationSpace ?? null,
    round: input.meta?.round ?? null,
    createdBy: input.meta?.createdBy ?? 'dagger-studio/models',
    datasetHash: p.hash,
    hyperparameters: cfg,
  };
  const onnx = exportPolicy({ shape: s, members, obsNorm: p.norm, actionSpace: input.actionSpace, actionScaling: p.scaling, meta });
  const mean = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce((a: number, b) => a + (b as number), 0) / xs.length);
  return {
    onnx,
    config: cfg,
    datasetHash: p.hash,
    normalization: p.norm,
    metrics: {
      trainLoss: mean(memberMetrics.map((m) => m.trainLoss))!,
      valLoss: mean(memberMetrics.map((m) => m.valLoss)),
      valAccuracy: mean(memberMetrics.map((m) => m.valAccuracy)),
      valMse: mean(memberMetrics.map((m) => m.valMse)),
      epochs: Math.max(...memberMetrics.map((m) => m.epochs)),
      bestEpoch: memberMetrics[0]!.bestEpoch,
      steps: totalSteps,
      trainSamples: trainIdx.length,
      valSamples: nVal,
      members: memberMetrics,
      durationMs: performance.now() - t0,
    },
  };
}

// ------------------------------------------------------------------------------------------------ worker

/** Messages from train-worker.ts. */
export type WorkerMessage = { type: 'progress'; event: TrainProgress } | { type: 'done'; result: TrainResult } | { type: 'error'; name: string; message: string };

/** The serialisable part of TrainInput (what crosses into the worker). */
export type WorkerInput = Omit<TrainInput, 'onProgress' | 'signal'>;

/**
 * A worker_thread running the .ts module `url`. Node 20 ignores `--import` in a worker's execArgv (a preload
 * passed as `execArgv: ['--import', 'tsx']` never runs: verified on 20.20), so the worker starts from a tiny
 * CommonJS trampoline that loads the module through tsx's `tsImport` API instead. This works the same under
 * `npx tsx`, under vitest, and from plain node, and does not depend on the parent having tsx hooks.
 */
export function tsWorker(url: URL, options: ConstructorParameters<typeof Worker>[1] = {}): Worker {
  // The ESM build of tsx's API (its CommonJS build mis-resolves its own loader file from a worker).
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const esm = cjs.replace(/\.cjs$/, '.mjs');
  const api = existsSync(esm) ? pathToFileURL(esm).href : 'tsx/esm/api';
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Runs trainPolicy in a worker_thread (so session.run does not block this thread's event loop); progress
 * events are forwarded to input.onProgress, and input.signal terminates the worker.
 */
export async function trainPolicyInWorker(input: TrainInput): Promise<TrainResult> {
  const { onProgress, signal, ...data } = input;
  // Validate here first: bad data fails fast with the same error classes as in-thread training.
  validateDataset(data.obs, data.obsDim, data.actions, data.actionSpace);
  return new Promise<TrainResult>((resolve, reject) => {
    const worker = tsWorker(new URL('./train-worker.ts', import.meta.url), { workerData: data satisfies WorkerInput });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new TrainingAbortedError('training was aborted')));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'progress') onProgress?.(msg.event);
      else if (msg.type === 'done') finish(() => resolve(msg.result));
      else {
        const err = msg.name === 'TrainingDataError' ? new TrainingDataError(msg.message) : new Error(msg.message);
        if (msg.name !== 'TrainingDataError') err.name = msg.name;
        finish(() => reject(err));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code} before finishing`))));
  });
}
