/** Input checks shared by the environments: clear errors, never a silent clamp. */
import { EnvInputError, type Action, type ActionSpace } from './types';

export function checkDiscrete(id: string, space: ActionSpace & { kind: 'discrete' }, action: Action): number {
  if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= space.n) {
    throw new EnvInputError(`${id}: action must be an integer in 0..${space.n - 1}, got ${JSON.stringify(action)}`);
  }
  return action;
}

/** A box action must be finite and of the right length; range clipping is the environment's own business. */
export function checkBox(id: string, space: ActionSpace & { kind: 'box' }, action: Action): number[] {
  const a = typeof action === 'number' && space.size === 1 ? [action] : action;
  if (!Array.isArray(a) || a.length !== space.size) {
    throw new EnvInputError(`${id}: action must be an array of ${space.size} number(s), got ${JSON.stringify(action)}`);
  }
  a.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvInputError(`${id}: action[${i}] must be a finite number, got ${v}`);
  });
  return a;
}

export function checkState(id: string, value: unknown, layout: readonly string[]): number[] {
  if (!Array.isArray(value) || value.length !== layout.length) {
    throw new EnvInputError(`${id}: state must be an array of ${layout.length} numbers (${layout.join(', ')}), got ${Array.isArray(value) ? `${value.length} values` : typeof value}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new EnvInputError(`${id}: state ${layout[i]} must be a finite number, got ${v}`);
  });
  return value as number[];
}
