/**
 * Live play input, the pure part: which action the held keys (or a gamepad) choose at one tick.
 * Keyboard keys are KeyboardEvent.key values, most recently pressed last.
 */
import type { ActionSpace, BoxSpace, DiscreteSpace } from '@/envs/types';
import { keyToAction } from '../../../../_components/action-keys';

/** The part of the Gamepad API used here (a standard-mapping pad). */
export interface PadLike {
  axes: readonly number[];
  buttons: readonly { pressed: boolean }[];
}

const DEADZONE = 0.15;

/** Arrow keys a gamepad's d-pad or left stick is pressing (standard mapping: buttons 12–15 = up, down, left, right). */
export function padArrows(pad: PadLike | null): string[] {
  if (!pad) return [];
  const out: string[] = [];
  const x = pad.axes[0] ?? 0;
  const y = pad.axes[1] ?? 0;
  if (pad.buttons[12]?.pressed || y < -0.5) out.push('ArrowUp');
  if (pad.buttons[13]?.pressed || y > 0.5) out.push('ArrowDown');
  if (pad.buttons[14]?.pressed || x < -0.5) out.push('ArrowLeft');
  if (pad.buttons[15]?.pressed || x > 0.5) out.push('ArrowRight');
  return out;
}

/** The action of the most recently pressed held key (then the gamepad), or null when none is held. */
export function discreteAction(space: DiscreteSpace, held: readonly string[], pad: PadLike | null = null): number | null {
  for (let i = held.length - 1; i >= 0; i--) {
    const a = keyToAction(space, { key: held[i]! });
    if (a !== null) return a;
  }
  for (const k of padArrows(pad)) {
    const a = keyToAction(space, { key: k });
    if (a !== null) return a;
  }
  return null;
}

/** The action applied when nothing is held: the one named like "no-op" / "hold", else the first. */
export function neutralAction(space: ActionSpace): number {
  if (space.kind !== 'discrete') return 0;
  const i = space.names.findIndex((n) => /\b(no|noop|no-op|nothing|hold|none|idle)\b/i.test(n));
  return i >= 0 ? i : 0;
}

/**
 * A continuous action: dimension 0 from ←/→ (or the left stick's x), dimension 1 from ↓/↑ (or the stick's y,
 * up positive), further dimensions from the right stick; the keyboard's full deflection is scaled by `gain`.
 * No input gives the middle of each dimension's range.
 */
export function continuousAction(space: BoxSpace, held: readonly string[], pad: PadLike | null = null, gain = 1): number[] {
  const has = (k: string) => held.includes(k);
  return space.low.map((lo, d) => {
    const hi = space.high[d]!;
    let u = 0;
    const axis = pad ? (d === 1 ? -(pad.axes[1] ?? 0) : d === 3 ? -(pad.axes[3] ?? 0) : (pad.axes[d] ?? 0)) : 0;
    if (Math.abs(axis) > DEADZONE) u = axis;
    const keys = d === 0 ? (has('ArrowRight') ? 1 : 0) - (has('ArrowLeft') ? 1 : 0) : d === 1 ? (has('ArrowUp') ? 1 : 0) - (has('ArrowDown') ? 1 : 0) : 0;
    if (keys !== 0) u = keys * gain;
    u = Math.max(-1, Math.min(1, u));
    return lo + ((u + 1) / 2) * (hi - lo);
  });
}


