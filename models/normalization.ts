/**
 * Observation and action normalisation.
 *
 * Public API
 *   fitObsNormalizer(obs, n, obsDim) → ObsNormalizer      per-feature mean / std over the dataset
 *   normalizeObs(obs, norm) → Float32Array               (x − mean) / std, what the networks see
 *   actionScaling(space) → ActionScaling | null          box [low, high] → [−1, 1] (identity on unbounded dims)
 *   normalizeActions / denormalizeActions
 *
 * A constant feature (std < 1e-6) gets std 1, so it maps to 0 rather than to ±∞. The same constants are
 * baked into the exported ONNX graph (Sub, Mul nodes in front of the network), so callers always feed raw
 * observations.
 */
import type { ActionSpace } from '../envs/types';

export interface ObsNormalizer {
  mean: number[];
  std: number[];
}

export interface ActionScaling {
  center: number[];
  scale: number[];
}

export function fitObsNormalizer(obs: Float32Array, n: number, obsDim: number): ObsNormalizer {
  const mean = new Array<number>(obsDim).fill(0);
  const m2 = new Array<number>(obsDim).fill(0);
  // Welford per feature: stable for large offsets.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < obsDim; j++) {
      const x = obs[i * obsDim + j]!;
      const d = x - mean[j]!;
      mean[j] = mean[j]! + d / (i + 1);
      m2[j] = m2[j]! + d * (x - mean[j]!);
    }
  }
  const std = m2.map((s) => {
    const sd = Math.sqrt(s / Math.max(1, n));
    return sd < 1e-6 ? 1 : sd;
  });
  // Rounded to float32 so the graph constants and the training data use exactly the same values.
  return { mean: mean.map(Math.fround), std: std.map(Math.fround) };
}

export function normalizeObs(obs: Float32Array, norm: ObsNormalizer): Float32Array {
  const d = norm.mean.length;
  const out = new Float32Array(obs.length);
  const inv = norm.std.map((s) => Math.fround(1 / s));
  for (let i = 0; i < obs.length; i++) {
    const j = i % d;
    out[i] = Math.fround(Math.fround(obs[i]! - norm.mean[j]!) * inv[j]!);
  }
  return out;
}

export function actionScaling(space: ActionSpace): ActionScaling | null {
  if (space.kind !== 'box') return null;
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < space.size; j++) {
    const lo = space.low[j] ?? -Infinity;
    const hi = space.high[j] ?? Infinity;
    if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) {
      center.push(Math.fround((hi + lo) / 2));
      scale.push(Math.fround((hi - lo) / 2));
    } else {
      center.push(0);
      scale.push(1);
    }
  }
  return { center, scale };
}

export function normalizeActions(actions: ArrayLike<number>, s: ActionScaling): Float32Array {
  const d = s.center.length;
  const out = new Float32Array(actions.length);
  for (let i = 0; i < actions.length; i++) out[i] = (actions[i]! - s.center[i % d]!) / s.scale[i % d]!;
  return out;
}

export function denormalizeActions(actions: ArrayLike<number>, s: ActionScaling): Float32Array {
  const d = s.center.length;
  const out = new Float32Array(actions.length);
  for (let i = 0; i < actions.length; i++) out[i] = actions[i]! * s.scale[i % d]! + s.center[i % d]!;
  return out;
}
