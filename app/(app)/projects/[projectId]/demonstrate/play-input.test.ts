import { describe, expect, it } from 'vitest';
import type { BoxSpace, DiscreteSpace } from '@/envs/types';
import { continuousAction, discreteAction, neutralAction, padArrows } from './play-input';

const lane: DiscreteSpace = { kind: 'discrete', n: 3, names: ['steer right', 'hold', 'steer left'], keys: ['ArrowRight', 'ArrowUp', 'ArrowLeft'] };
const cart: DiscreteSpace = { kind: 'discrete', n: 2, names: ['push left', 'push right'], keys: ['ArrowLeft', 'ArrowRight'] };
const box2: BoxSpace = { kind: 'box', size: 2, low: [-2, 0], high: [2, 1], names: ['x', 'y'] };
const pad = (axes: number[], pressed: number[] = []) => ({ axes, buttons: Array.from({ length: 16 }, (_, i) => ({ pressed: pressed.includes(i) })) });

describe('live play input', () => {
  it('takes the most recently pressed action key, digits too', () => {
    expect(discreteAction(lane, [])).toBeNull();
    expect(discreteAction(lane, ['ArrowLeft'])).toBe(2);
    expect(discreteAction(lane, ['ArrowLeft', 'ArrowRight'])).toBe(0);
    expect(discreteAction(lane, ['ArrowLeft', 'Shift'])).toBe(2);
    expect(discreteAction(lane, ['2'])).toBe(1);
    expect(discreteAction(lane, ['9'])).toBeNull();
  });

  it('reads a gamepad d-pad or stick as arrows, after the keyboard', () => {
    expect(padArrows(pad([-0.9, 0]))).toEqual(['ArrowLeft']);
    expect(padArrows(pad([0, 0], [12]))).toEqual(['ArrowUp']);
    expect(discreteAction(cart, [], pad([0.8, 0]))).toBe(1);
    expect(discreteAction(cart, ['ArrowLeft'], pad([0.8, 0]))).toBe(0);
    expect(discreteAction(cart, [], pad([0.2, 0.1]))).toBeNull();
  });

  it('finds the neutral action by name', () => {
    expect(neutralAction(lane)).toBe(1);
    expect(neutralAction(cart)).toBe(0);
    expect(neutralAction({ ...cart, n: 4, names: ['do nothing', 'left', 'main', 'right'], keys: [] })).toBe(0);
    expect(neutralAction({ ...cart, n: 3, names: ['left', 'no torque', 'right'], keys: [] })).toBe(1);
  });

  it('maps arrows and sticks onto a box, middle when idle', () => {
    expect(continuousAction(box2, [])).toEqual([0, 0.5]);
    expect(continuousAction(box2, ['ArrowRight', 'ArrowUp'])).toEqual([2, 1]);
    expect(continuousAction(box2, ['ArrowLeft'], null, 0.5)).toEqual([-1, 0.5]);
    // Stick y is negative upwards; the keyboard wins over the stick on the same dimension.
    expect(continuousAction(box2, [], pad([0.5, -1]))).toEqual([1, 1]);
    expect(continuousAction(box2, ['ArrowLeft'], pad([0.5, 0.05]))).toEqual([-2, 0.5]);
  });
});
