/**
 * Keyboard ↔ action mapping for the labeling widgets, the pure part (no React, no DOM access beyond reading
 * an event's fields), so it runs in a unit test.
 */
import type { Action, ActionSpace, BoxSpace, DiscreteSpace } from '@/envs/types';

/** The fields of a KeyboardEvent the mapping reads (a real event fits; tests pass plain objects). */
export interface KeyLike {
  key: string;
  code?: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  repeat?: boolean;
  target?: EventTarget | null;
}

/**
 * The discrete action a key selects: the environment's own key first (letters compared case-insensitively,
 * so Caps Lock does not matter), then the digits 1–9 (top row or keypad) for actions 0–8. Null otherwise.
 */
export function keyToAction(space: DiscreteSpace, e: Pick<KeyLike, 'key' | 'code'>): number | null {
  const exact = space.keys.indexOf(e.key);
  if (exact >= 0 && exact < space.n) return exact;
  if (e.key.length === 1) {
    const lower = e.key.toLowerCase();
    const i = space.keys.findIndex((k) => k.length === 1 && k.toLowerCase() === lower);
    if (i >= 0 && i < space.n) return i;
  }
  const digit = /^[1-9]$/.test(e.key) ? Number(e.key) : /^(Digit|Numpad)[1-9]$/.test(e.code ?? '') ? Number(e.code!.slice(-1)) : null;
  if (digit !== null && digit <= space.n) return digit - 1;
  return null;
}

/** A key combined with Ctrl, Cmd or Alt belongs to the browser (Ctrl+Z, Cmd+R…), never to the labeling UI. */
export function hasCommandModifier(e: KeyLike): boolean {
  return !!(e.ctrlKey || e.metaKey || e.altKey);
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'time', 'week', '']);
const NAV_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Whether the focused element needs this key for itself, so a global shortcut must leave it alone:
 * every key while typing in a text field, textarea, select or contenteditable; the arrow keys on a range
 * slider (otherwise scrubbing the replay would also label "push left"); Enter and Space on a button,
 * checkbox or link (the browser activates it; handling it too would submit twice).
 */
export function targetOwnsKey(target: EventTarget | null | undefined, key: string): boolean {
  if (!target || typeof (target as { tagName?: unknown }).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA') return true;
  if (tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = ((el as HTMLInputElement).type ?? '').toLowerCase();
    if (TEXT_INPUT_TYPES.has(type)) return true;
    if (type === 'range') return NAV_KEYS.has(key);
    return key === 'Enter' || key === ' ';
  }
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return key === 'Enter' || key === ' ';
  const role = el.getAttribute?.('role');
  if (role === 'slider' || role === 'spinbutton') return false; // our own 2-D pad: the global arrows drive it
  if (role === 'button' || role === 'checkbox' || role === 'switch' || role === 'menuitem' || role === 'tab') return key === 'Enter' || key === ' ';
  return false;
}

/** True when a global labeling shortcut should ignore this event (repeat, modifier, focused control). */
export function shouldIgnoreKey(e: KeyLike): boolean {
  return !!e.repeat || hasCommandModifier(e) || targetOwnsKey(e.target, e.key);
}

/** The middle of a box space (the neutral start for continuous widgets). */
export function boxMidpoint(space: BoxSpace): number[] {
  return space.low.map((lo, i) => (lo + (space.high[i] ?? lo)) / 2);
}

/** Clamps each dimension into [low, high]; NaN becomes the midpoint; missing dimensions are filled. */
export function clampToBox(space: BoxSpace, value: readonly number[]): number[] {
  return Array.from({ length: space.size }, (_, i) => {
    const lo = space.low[i] ?? -1;
    const hi = space.high[i] ?? 1;
    const v = value[i];
    if (v === undefined || !Number.isFinite(v)) return (lo + hi) / 2;
    return Math.min(hi, Math.max(lo, v));
  });
}

/** Moves one dimension by 5 % of its range (1 % with `fine`) in direction `dir` (±1), clamped. */
export function nudge(space: BoxSpace, value: readonly number[], dim: number, dir: 1 | -1, fine = false): number[] {
  const base = clampToBox(space, value);
  if (dim < 0 || dim >= space.size) return base;
  const lo = space.low[dim]!;
  const hi = space.high[dim]!;
  const step = (fine ? 0.01 : 0.05) * (hi - lo);
  // toPrecision drops the float noise that repeated nudges would otherwise accumulate (0.1 + 0.2 …).
  base[dim] = Math.min(hi, Math.max(lo, +(base[dim]! + dir * step).toPrecision(12)));
  return base;
}

/** The arrow key's (dimension, direction) for continuous nudges: ←/→ dimension 0, ↓/↑ dimension 1. */
export function arrowNudge(key: string): { dim: number; dir: 1 | -1 } | null {
  switch (key) {
    case 'ArrowRight':
      return { dim: 0, dir: 1 };
    case 'ArrowLeft':
      return { dim: 0, dir: -1 };
    case 'ArrowUp':
      return { dim: 1, dir: 1 };
    case 'ArrowDown':
      return { dim: 1, dir: -1 };
    default:
      return null;
  }
}

const PRETTY: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', ' ': 'Space', Enter: '⏎ Enter', Escape: 'Esc', Backspace: '⌫' };
const SPOKEN: Record<string, string> = { ArrowLeft: 'Left arrow', ArrowRight: 'Right arrow', ArrowUp: 'Up arrow', ArrowDown: 'Down arrow', ' ': 'Space', Backspace: 'Backspace', Escape: 'Escape' };

/** How a KeyboardEvent.key value is shown in a <kbd>. */
export function prettyKey(key: string): string {
  return PRETTY[key] ?? (key.length === 1 ? key.toUpperCase() : key);
}

/** How a key is read out (aria-keyshortcuts wants the key names, screen readers want words). */
export function spokenKey(key: string): string {
  return SPOKEN[key] ?? (key.length === 1 ? key.toUpperCase() : key);
}

/** An action as short text: the discrete action's name, or the continuous values to 2 decimals. */
export function formatAction(space: ActionSpace, action: Action | null | undefined): string {
  if (action === null || action === undefined) return '—';
  if (space.kind === 'discrete') return typeof action === 'number' ? (space.names[action] ?? `action ${action}`) : String(action);
  const values = Array.isArray(action) ? action : [action];
  return values.map((v, i) => `${space.names[i] ?? `dim ${i + 1}`} ${v.toFixed(2)}`).join(', ');
}
