/** Timing for playing rollouts at the environment's real time step, the pure part. */
import { getEnv } from '@/envs/registry';

export const SPEEDS = [0.25, 0.5, 1, 2] as const;
export type Speed = (typeof SPEEDS)[number];

/** Seconds per step: the environment's own dt, else the fallback (external projects), else 1/20 s. */
export function envDt(envId: string | null | undefined, fallback?: number): number {
  if (envId) {
    try {
      const dt = getEnv(envId).dt;
      if (Number.isFinite(dt) && dt > 0) return dt;
    } catch {
      // Unknown environment (an external project): use the fallback below.
    }
  }
  return fallback !== undefined && Number.isFinite(fallback) && fallback > 0 ? fallback : 0.05;
}

/** The first frame of the replay: `seconds` of real time before the focus state, clamped at 0. */
export function replayStart(focusIndex: number, seconds: number, dt: number): number {
  if (!(dt > 0)) return Math.max(0, focusIndex);
  return Math.max(0, focusIndex - Math.round(Math.max(0, seconds) / dt));
}

/**
 * Advances a playback clock: `carryMs` is the time left over from the last tick, `elapsedMs` the wall time
 * since then. Returns how many whole steps to move and the new carry. A long stall (background tab) moves
 * at most `maxSteps`, so the replay does not jump to the end after coming back.
 */
export function advanceClock(carryMs: number, elapsedMs: number, speed: number, dt: number, maxSteps = 5): { steps: number; carryMs: number } {
  const stepMs = (dt * 1000) / speed;
  if (!(stepMs > 0) || !Number.isFinite(elapsedMs) || elapsedMs < 0) return { steps: 0, carryMs };
  const total = carryMs + elapsedMs;
  const steps = Math.floor(total / stepMs);
  if (steps > maxSteps) return { steps: maxSteps, carryMs: 0 };
  return { steps, carryMs: total - steps * stepMs };
}
