/** Input checks shared by the environments: clear errors, never a silent clamp. */
import { EnvInputError, type Action, type ActionSpace } from './types';

const show = (v: unknown) => (typeof v === 'number' ? String(v) : v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v));

export function checkDiscrete(id: string, space: ActionSpace & { kind: 'discrete' }, action: Action): number {
  if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= space.n) {
    throw new EnvInputError(`${id}: action must be an integer in 0..${space.n - 1}, got ${show(action)}`);
  }
  return action;
}

/**
 * A box action must be finite and of the right length (an array or typed array; a bare number for a
 * one-dimensional box). Range clipping, where Gymnasium does it, is the environment's own documented business.
 */
export function checkBox(id: string, space: ActionSpace & { kind: 'box' }, action: Action): number[] {
  const raw: unknown = action;
  const a = typeof raw === 'number' && space.size === 1 ? [raw] : ArrayBuffer.isView(raw) && !(raw instanceof DataView) ? Array.from(raw as unknown as ArrayLike<number>) : raw;
  if (!Array.isArray(a) || a.length !== space.size) {
    const found = Array.isArray(a) ? `${a.length} value(s)` : show(raw);
    throw new EnvInputError(`${id}: action must be an array of ${space.size} finite number(s), got ${found}`);
  }
  a.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvInputError(`${id}: action[${i}] must be a finite number, got ${show(v)}`);
  });
  return a as number[];
}

/** A state that is an array of finite numbers with the given layout; returns it (not a copy). */
export function checkState(id: string, value: unknown, layout: readonly string[]): number[] {
  if (!Array.isArray(value) || value.length !== layout.length) {
    const found = Array.isArray(value) ? `${value.length} values` : value === null ? 'null' : typeof value;
    throw new EnvInputError(`${id}: state must be an array of ${layout.length} numbers (${layout.join(', ')}), got ${found}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvInputError(`${id}: state ${layout[i]} must be a finite number, got ${show(v)}`);
  });
  return value as number[];
}

/** Reset seeds are integers (mulberry32 uses the low 32 bits). */
export function checkSeed(id: string, seed: number): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new EnvInputError(`${id}: seed must be an integer, got ${show(seed)}`);
  return seed;
}
