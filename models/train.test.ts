import { describe, expect, it } from 'vitest';
import type { ActionSpace } from '../envs/types';
import { loadPolicy } from './infer';
import { decodeModel, tensorToArray } from './onnx-proto';
import { PolicyConfigError } from './policy-spec';
import { mulberry32, normal } from './prng';
import { datasetHash, type TrainProgress, TrainingDataError, trainPolicy, trainPolicyInWorker } from './train';

const THREE: ActionSpace = { kind: 'discrete', n: 3, names: ['a', 'b', 'c'], keys: ['1', '2', '3'] };
const U: ActionSpace = { kind: 'box', size: 1, low: [-1], high: [1], names: ['u'] };

/** 3 classes from a noisy linear rule on 4 features (some with large offsets, to exercise normalisation). */
function classification(n: number, seed: number) {
  const rng = mulberry32(seed);
  const obs = new Float32Array(n * 4);
  const actions: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [normal(rng), normal(rng), 100 + 10 * normal(rng), normal(rng)];
    obs.set(x, i * 4);
    const s = x[0]! + x[1]! + (x[2]! - 100) / 10;
    actions.push(s < -0.5 ? 0 : s < 0.5 ? 1 : 2);
  }
  return { obs, actions };
}

const weightsOf = (bytes: Uint8Array) => decodeModel(bytes).graph!.initializer!.filter((t) => t.name!.includes('weight')).map((t) => Array.from(tensorToArray(t) as Float32Array));

describe('trainPolicy', () => {
  const data = classification(600, 1);

  it('learns a categorical policy and reports per-epoch progress', async () => {
    const events: TrainProgress[] = [];
    const r = await trainPolicy({ obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: { epochs: 25, patience: 0, lr: 3e-3 }, seed: 4, onProgress: (e) => events.push(e), meta: { envId: 'Toy-v0', round: 2 } });
    expect(events.map((e) => e.epoch)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(events.every((e) => e.valLoss !== null && e.valAccuracy !== null && e.valMse === null)).toBe(true);
    expect(events[24]!.trainLoss).toBeLessThan(events[0]!.trainLoss);
    expect(r.metrics.valAccuracy).toBeGreaterThan(0.85);
    expect(r.metrics).toMatchObject({ trainSamples: 540, valSamples: 60, epochs: 25 });
    expect(r.datasetHash).toMatch(/^[0-9a-f]{64}$/);
    const p = await loadPolicy(r.onnx);
    expect(p.metadata).toMatchObject({ envId: 'Toy-v0', round: 2, datasetHash: r.datasetHash, policyClass: 'categorical' });
    expect(p.metadata!.hyperparameters).toMatchObject({ epochs: 25, lr: 3e-3, seed: 4, kind: 'categorical' });
    // Accuracy of the exported file on the training data (raw observations: normalisation is in the graph).
    const out = await p.act(data.obs, 600);
    const acc = data.actions.filter((a, i) => out.actions[i] === a).length / 600;
    expect(acc).toBeGreaterThan(0.85);
    await p.release();
  });

  it('is bit-reproducible for a seed (weights and file bytes), and the seed matters', async () => {
    const cfg = { epochs: 4, patience: 0, hidden: [32, 32] };
    const a = await trainPolicy({ obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: cfg, seed: 11 });
    const b = await trainPolicy({ obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: cfg, seed: 11 });
    const c = await trainPolicy({ obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: cfg, seed: 12 });
    expect(weightsOf(a.onnx)).toEqual(weightsOf(b.onnx));
    expect(Buffer.from(a.onnx).equals(Buffer.from(b.onnx))).toBe(true);
    expect(a.metrics.trainLoss).toBe(b.metrics.trainLoss);
    expect(weightsOf(a.onnx)).not.toEqual(weightsOf(c.onnx));
  });

  it('stops early after `patience` epochs without improvement and keeps the best epoch', async () => {
    const rng = mulberry32(2);
    const noise = Array.from({ length: 300 }, () => Math.floor(rng.next() * 3)); // labels unrelated to obs
    const events: TrainProgress[] = [];
    const r = await trainPolicy({ obs: data.obs.subarray(0, 1200), obsDim: 4, actions: noise, actionSpace: THREE, config: { epochs: 300, patience: 5, lr: 1e-2, valFraction: 0.3 }, seed: 1, onProgress: (e) => events.push(e) });
    expect(r.metrics.epochs).toBeLessThan(300);
    expect(r.metrics.epochs - r.metrics.bestEpoch).toBe(5);
    const best = events[r.metrics.bestEpoch - 1]!;
    expect(r.metrics.valLoss).toBe(best.valLoss);
    expect(Math.min(...events.map((e) => e.valLoss!))).toBe(best.valLoss);
  });

  it('trains a bootstrap ensemble: members differ, metrics per member', async () => {
    const r = await trainPolicy({ obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: { epochs: 5, patience: 0, ensemble: 3 }, seed: 3 });
    expect(r.metrics.members.map((m) => m.member)).toEqual([0, 1, 2]);
    expect(new Set(r.metrics.members.map((m) => m.seed)).size).toBe(3);
    const p = await loadPolicy(r.onnx);
    expect(p.ensemble).toBe(3);
    const far = Float32Array.from([8, -8, 180, 8]); // outside the data: members extrapolate differently
    const out = await p.act(far, 1);
    expect(out.disagreement![0]).toBeGreaterThan(0);
    await p.release();
  });

  it('a mixture fits a bimodal dataset where a Gaussian averages the modes', async () => {
    // a = ±0.6 + 0.1·x + noise: two modes for every x.
    const rng = mulberry32(3);
    const n = 2000;
    const obs = new Float32Array(n).map(() => rng.next() * 2 - 1);
    const actions = Array.from({ length: n }, (_, i) => (rng.next() < 0.5 ? 0.6 : -0.6) + 0.1 * obs[i]! + 0.05 * normal(rng));
    const cfg = { epochs: 60, hidden: [32, 32], components: 3, lr: 3e-3, patience: 10 };
    const gauss = await trainPolicy({ obs, obsDim: 1, actions, actionSpace: U, config: { ...cfg, kind: 'gaussian' }, seed: 1 });
    const mix = await trainPolicy({ obs, obsDim: 1, actions, actionSpace: U, config: { ...cfg, kind: 'mixture' }, seed: 1 });
    expect(mix.metrics.valLoss!).toBeLessThan(gauss.metrics.valLoss! - 1);

    const xs = Float32Array.from([-0.5, 0, 0.5]);
    const g = await (await loadPolicy(gauss.onnx)).act(xs, 3);
    const m = await (await loadPolicy(mix.onnx)).act(xs, 3);
    for (let i = 0; i < 3; i++) {
      const modes = [0.6 + 0.1 * xs[i]!, -0.6 + 0.1 * xs[i]!];
      // The Gaussian's mean sits between the modes …
      expect(Math.abs(g.actions[i]! - 0.1 * xs[i]!)).toBeLessThan(0.2);
      // … the mixture's most likely component sits on one of them,
      expect(Math.min(...modes.map((q) => Math.abs(m.actions[i]! - q)))).toBeLessThan(0.1);
      // and both modes are covered by a component with real weight.
      const ml = Array.from(m.dist.mix_logits!.subarray(i * 3, i * 3 + 3));
      const z = ml.reduce((a, q) => a + Math.exp(q), 0);
      for (const mode of modes) {
        const near = [0, 1, 2].some((k) => Math.exp(ml[k]!) / z > 0.2 && Math.abs(m.dist.means![i * 3 + k]! - mode) < 0.1);
        expect(near).toBe(true);
      }
    }
  });
});

describe('trainPolicy refuses bad data', () => {
  const ok = classification(20, 5);
  const train = (over: Partial<Parameters<typeof trainPolicy>[0]>) => trainPolicy({ obs: ok.obs, obsDim: 4, actions: ok.actions, actionSpace: THREE, config: { epochs: 1 }, ...over });

  it('an empty dataset', async () => {
    await expect(train({ obs: new Float32Array(0), actions: [] })).rejects.toThrow(TrainingDataError);
    await expect(train({ obs: new Float32Array(0), actions: [] })).rejects.toThrow(/dataset is empty/);
  });

  it('NaN / Infinity, naming the row', async () => {
    const obs = Float32Array.from(ok.obs);
    obs[7 * 4 + 2] = NaN;
    await expect(train({ obs })).rejects.toThrow('observation row 7 (0-based) contains NaN at feature 2');
    const obs2 = Float32Array.from(ok.obs);
    obs2[13 * 4] = -Infinity;
    await expect(train({ obs: obs2 })).rejects.toThrow(/row 13 .*-Infinity/);
    const cont = Array.from({ length: 20 }, () => 0.5);
    cont[4] = Infinity;
    await expect(train({ actions: cont, actionSpace: U })).rejects.toThrow('action row 4 (0-based) is Infinity');
  });

  it('labels out of range, wrong counts, a policy kind that does not fit the space', async () => {
    const bad = [...ok.actions];
    bad[3] = 3;
    await expect(train({ actions: bad })).rejects.toThrow('action row 3 (0-based) is 3: expected an integer in [0, 2]');
    await expect(train({ actions: ok.actions.slice(1) })).rejects.toThrow('20 observation rows but 19 action values');
    await expect(train({ obs: ok.obs.subarray(0, 79) })).rejects.toThrow(/not a multiple of obsDim 4/);
    await expect(train({ config: { kind: 'gaussian' } })).rejects.toThrow(PolicyConfigError);
    await expect(train({ config: { hidden: [-1] } as never })).rejects.toThrow(/hidden/);
  });
});

describe('trainPolicyInWorker', () => {
  it('gives the same bytes as in-thread training and forwards progress events', async () => {
    const data = classification(200, 8);
    const input = { obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: { epochs: 3, patience: 0 }, seed: 5 };
    const events: TrainProgress[] = [];
    const w = await trainPolicyInWorker({ ...input, onProgress: (e) => events.push(e) });
    const t = await trainPolicy(input);
    expect(Buffer.from(w.onnx).equals(Buffer.from(t.onnx))).toBe(true);
    expect(events.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(w.metrics.trainLoss).toBe(t.metrics.trainLoss);
  });

  it('reports errors from the worker with their message', async () => {
    const data = classification(50, 8);
    await expect(trainPolicyInWorker({ obs: data.obs, obsDim: 4, actions: data.actions, actionSpace: THREE, config: { kind: 'mixture' } })).rejects.toThrow(/policy kind mixture needs a box action space/);
    const obs = Float32Array.from(data.obs);
    obs[9] = NaN;
    await expect(trainPolicyInWorker({ obs, obsDim: 4, actions: data.actions, actionSpace: THREE })).rejects.toThrow(TrainingDataError);
  });
});

describe('datasetHash', () => {
  it('depends on observations, actions and obsDim', () => {
    const o = Float32Array.from([1, 2, 3, 4]);
    const a = Float32Array.from([0, 1]);
    const h = datasetHash(o, 2, a);
    expect(datasetHash(Float32Array.from(o), 2, Float32Array.from(a))).toBe(h);
    expect(datasetHash(o, 4, a)).not.toBe(h);
    expect(datasetHash(o, 2, Float32Array.from([1, 0]))).not.toBe(h);
  });
});
