/**
 * The bridge between round jobs and models/: train on the aggregated dataset in a worker_thread, store
 * the ONNX file content-addressed, and load a policy as a batched function for rollouts.
 */
import path from 'node:path';
import type { Action, ActionSpace, BoxSpace } from '@/envs/types';
import { loadPolicy } from '@/models/infer';
import { mulberry32 } from '@/models/prng';
import { resolvePolicyConfig, type PolicyConfigInput } from '@/models/policy-spec';
import { PolicyRegistry } from '@/models/registry';
import { trainPolicy, trainPolicyInWorker, type TrainMetrics } from '@/models/train';
import { policyFilePath } from '../services/artifacts';
import type { BatchPolicy } from './rollouts';

const registry = (artifactsDir: string) => new PolicyRegistry(path.join(artifactsDir, 'policies'));

export { policyFilePath };

export async function storePolicy(artifactsDir: string, bytes: Uint8Array): Promise<string> {
  return (await registry(artifactsDir).put(bytes)).sha256;
}

export interface TrainOnDatasetInput {
  obs: Float32Array;
  obsDim: number;
  actions: Action[];
  actionSpace: ActionSpace;
  observationSpace: BoxSpace;
  /** The project's policy settings (kind, hidden, epochs… — models/policy-spec.ts). */
  policy: Record<string, unknown>;
  seed: number;
  meta: { envId: string; round: number; datasetHash: string };
  onProgress?: (p: { fraction: number; message: string; detail: unknown }) => void;
  /** Train in this thread instead of a worker_thread (the job worker is itself off the request thread). */
  inThread?: boolean;
}

export async function trainOnDataset(input: TrainOnDatasetInput): Promise<{ bytes: Uint8Array; metrics: Record<string, unknown> }> {
  const config = resolvePolicyConfig(input.policy as PolicyConfigInput, input.actionSpace);
  const train = input.inThread ? trainPolicy : trainPolicyInWorker;
  const result = await train({
    obs: input.obs,
    obsDim: input.obsDim,
    actions: input.actionSpace.kind === 'discrete' ? (input.actions as number[]) : (input.actions as number[][]),
    actionSpace: input.actionSpace,
    config,
    seed: input.seed,
    meta: { envId: input.meta.envId, observationSpace: input.observationSpace, round: input.meta.round, createdBy: 'dagger-studio' },
    onProgress: (e) => {
      const done = (e.member * e.maxEpochs + e.epoch) / (e.members * e.maxEpochs);
      input.onProgress?.({
        fraction: done,
        message: `epoch ${e.epoch}/${e.maxEpochs}${e.members > 1 ? ` (member ${e.member + 1}/${e.members})` : ''} · loss ${e.trainLoss.toFixed(4)}`,
        detail: e,
      });
    },
  });
  return { bytes: result.onnx, metrics: summarise(result.metrics) };
}

function summarise(m: TrainMetrics): Record<string, unknown> {
  return {
    trainLoss: m.trainLoss,
    valLoss: m.valLoss,
    valAccuracy: m.valAccuracy,
    valMse: m.valMse,
    epochs: m.epochs,
    bestEpoch: m.bestEpoch,
    steps: m.steps,
    trainSamples: m.trainSamples,
    valSamples: m.valSamples,
    trainMs: m.durationMs,
  };
}

/** A stored policy as the rollout loop's batched function (deterministic, or sampling with a seeded rng). */
export async function loadBatchPolicy(
  artifactsDir: string,
  sha256: string,
  mode: 'deterministic' | 'sample',
  seed: number,
): Promise<BatchPolicy & { release(): Promise<void> }> {
  const policy = await loadPolicy(policyFilePath(artifactsDir, sha256));
  const rng = mulberry32(seed);
  const space = policy.actionSpace;
  const act: BatchPolicy = async (obs, n) => {
    const r = await policy.act(obs, n, { mode, rng });
    const actions: Action[] = [];
    if (space.kind === 'discrete') for (let i = 0; i < n; i++) actions.push(r.actions[i]!);
    else for (let i = 0; i < n; i++) actions.push(Array.from(r.actions.subarray(i * space.size, (i + 1) * space.size)));
    // Per-row distribution parameters: every output is [n, …], so row i is a contiguous slice.
    const params = Array.from({ length: n }, (_, i) => {
      const row: Record<string, number[]> = {};
      for (const [name, arr] of Object.entries(r.dist)) {
        const per = arr.length / n;
        row[name] = Array.from(arr.subarray(i * per, (i + 1) * per));
      }
      return row;
    });
    return { actions, params, ...(r.disagreement ? { disagreement: Array.from(r.disagreement) } : {}) };
  };
  return Object.assign(act, { release: () => policy.release() });
}
