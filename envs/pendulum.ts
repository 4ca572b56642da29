/**
 * Pendulum-v1, a port of Gymnasium's classic_control/pendulum.py. State [θ (unwrapped, 0 = upright), θ̇] in
 * float64. The torque is clipped to ±2 in both dynamics and reward — Gymnasium's own documented clip.
 */
import { checkBox, checkState } from './check';
import { arrow, caption, clear, COLORS } from './draw';
import { mulberry32, uniform } from './random';
import type { Action, BoxSpace, Env } from './types';

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const G = 10.0;
const M = 1.0;
const L = 1.0;
const LAYOUT = ['theta', 'theta_dot'] as const;

/** ((x + π) mod 2π) − π with a floor (mathematical) modulo, as Python's % is. */
export function angleNormalize(x: number): number {
  const m = 2 * Math.PI;
  const y = x + Math.PI;
  return y - Math.floor(y / m) * m - Math.PI;
}

const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const actionSpace: BoxSpace = { kind: 'box', size: 1, low: [-MAX_TORQUE], high: [MAX_TORQUE], names: ['torque'] };

export const Pendulum: Env<number[]> = {
  id: 'Pendulum-v1',
  observationSpace: { kind: 'box', size: 3, low: [-1, -1, -MAX_SPEED], high: [1, 1, MAX_SPEED], names: ['cos θ', 'sin θ', 'θ̇'] },
  actionSpace,
  horizon: 200,
  rewardThreshold: null,
  dt: DT,
  reset(seed) {
    const r = mulberry32(seed);
    return [uniform(r, -Math.PI, Math.PI), uniform(r, -1, 1)];
  },
  step(state, action: Action) {
    const [raw] = checkBox(this.id, actionSpace, action) as [number];
    const [th, thdot] = checkState(this.id, state, LAYOUT) as [number, number];
    const u = clip(Math.fround(raw), -MAX_TORQUE, MAX_TORQUE);
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    let newthdot = thdot + (((3 * G) / (2 * L)) * Math.sin(th) + (3.0 / (M * L ** 2)) * u) * DT;
    newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED);
    const newth = th + newthdot * DT;
    return { state: [newth, newthdot], reward: -costs, terminated: false, truncated: false };
  },
  observe(state) {
    const [th, thdot] = state as [number, number];
    return Float32Array.from([Math.cos(th), Math.sin(th), thdot]);
  },
  expert(state) {
    const [th, thdot] = state as [number, number];
    const theta = angleNormalize(th);
    let u: number;
    if (Math.cos(theta) > 0.9) u = -(12.97 * theta + 3.28 * thdot);
    else {
      // Energy pumping: E = ½θ̇² + 15 cos θ reaches 15 at rest upright.
      const energy = 0.5 * thdot ** 2 + 15 * Math.cos(theta);
      u = (15 - energy) * thdot;
    }
    return [clip(u, -MAX_TORQUE, MAX_TORQUE)];
  },
  /** No Gymnasium threshold; we count an episode above −200 (the expert's typical return) as a success. */
  success: (ep) => ep.return > -200,
  parseState: (v) => checkState('Pendulum-v1', v, LAYOUT),
  render(ctx, state, options) {
    const { w, h } = clear(ctx);
    const [th] = state as [number];
    const cx = w / 2;
    const cy = h / 2;
    const len = Math.min(w, h) * 0.38;
    const x = cx + Math.sin(th) * len;
    const y = cy - Math.cos(th) * len;
    ctx.strokeStyle = '#b91c1c';
    ctx.lineWidth = Math.max(8, len * 0.12);
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(cx, cy);
    ctx.lineTo(x, y);
    ctx.stroke();
    ctx.fillStyle = COLORS.body;
    ctx.beginPath();
    ctx.arc(cx, cy, 6, 0, 2 * Math.PI);
    ctx.fill();
    const a = options?.action;
    if (a !== undefined) {
      const u = Array.isArray(a) ? a[0]! : a;
      // Positive torque turns counter-clockwise (θ increases to the left of upright in this drawing).
      arrow(ctx, cx, cy + len * 0.3, -u * 30, 0, options?.actionColor ?? COLORS.policy);
    }
    caption(ctx, options);
  },
};
