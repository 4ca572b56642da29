/** Checks an untrusted action against an action space: never clamps, says what is wrong. */
import type { Action, ActionSpace } from '@/envs/types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseAction(space: ActionSpace, value: unknown): Parsed<Action> {
  if (space.kind === 'discrete') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return { ok: false, error: `action must be an integer in 0..${space.n - 1}` };
    if (value < 0 || value >= space.n) return { ok: false, error: `action ${value} is outside 0..${space.n - 1}` };
    return { ok: true, value };
  }
  if (!Array.isArray(value) || value.length !== space.size) {
    return { ok: false, error: `action must be an array of ${space.size} numbers` };
  }
  for (let i = 0; i < space.size; i++) {
    const v = value[i] as unknown;
    const lo = space.low[i]!;
    const hi = space.high[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: false, error: `action[${i}] must be a finite number` };
    if (v < lo || v > hi) return { ok: false, error: `action[${i}] = ${v} is outside [${lo}, ${hi}]` };
  }
  return { ok: true, value: value as number[] };
}
