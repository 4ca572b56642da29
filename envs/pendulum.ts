/**
 * Pendulum-v1, a port of Gymnasium's classic_control/pendulum.py. State [θ (unwrapped, 0 = upright), θ̇] in
 * float64. The torque is clipped to ±2 in both dynamics and reward — Gymnasium's own documented clip.
 */
import { checkBox, checkSeed, checkState } from './check';
import { arcArrow, caption, clear, COLORS } from './draw';
import { mulberry32, uniform } from './random';
import type { Action, BoxSpace, Env } from './types';

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const G = 10.0;
const M = 1.0;
const L = 1.0;
const LAYOUT = ['theta', 'theta_dot'] as const;
const ID = 'Pendulum-v1';

/**
 * Gymnasium's angle_normalize, ((x + π) mod 2π) − π, with numpy's floor modulo: the exact remainder (JS `%`
 * is C's fmod, exact) moved into [0, 2π) by adding 2π when negative, as numpy's remainder does. (JS `%` alone
 * keeps the dividend's sign; x − floor(x / 2π)·2π would round twice.)
 */
export function angleNormalize(x: number): number {
  const m = 2 * Math.PI;
  let r = (x + Math.PI) % m;
  if (r < 0) r += m;
  else if (r === 0) r = 0; // numpy returns +0 for an exact multiple
  return r - Math.PI;
}

const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const actionSpace: BoxSpace = { kind: 'box', size: 1, low: [-MAX_TORQUE], high: [MAX_TORQUE], names: ['torque'] };

export const Pendulum: Env<number[]> = {
  id: ID,
  observationSpace: { kind: 'box', size: 3, low: [-1, -1, -MAX_SPEED], high: [1, 1, MAX_SPEED], names: ['cos θ', 'sin θ', 'θ̇'] },
  actionSpace,
  horizon: 200,
  rewardThreshold: null,
  dt: DT,
  // Gymnasium draws θ ~ U(−π, π), θ̇ ~ U(−1, 1) with numpy; we draw from mulberry32(seed).
  reset(seed) {
    const r = mulberry32(checkSeed(ID, seed));
    return [uniform(r, -Math.PI, Math.PI), uniform(r, -1, 1)];
  },
  step(state, action: Action) {
    const [raw] = checkBox(ID, actionSpace, action) as [number];
    const [th, thdot] = checkState(ID, state, LAYOUT) as [number, number];
    // The action arrives as float32 (Gymnasium's Box dtype). Clipping to ±2 is Gymnasium's own behaviour
    // (np.clip in step, before dynamics and reward), not a silent repair: any finite torque is valid input.
    const u = clip(Math.fround(raw), -MAX_TORQUE, MAX_TORQUE);
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    let newthdot = thdot + (((3 * G) / (2 * L)) * Math.sin(th) + (3.0 / (M * L ** 2)) * u) * DT;
    newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED);
    const newth = th + newthdot * DT;
    return { state: [newth, newthdot], reward: -costs, terminated: false, truncated: false };
  },
  observe(state) {
    const out = new Float32Array(3);
    Pendulum.observeInto!(state, out, 0);
    return out;
  },
  observeInto(state, out, o) {
    const [th, thdot] = state as [number, number];
    out[o] = Math.cos(th);
    out[o + 1] = Math.sin(th);
    out[o + 2] = thdot;
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
  parseState: (v) => [...checkState(ID, v, LAYOUT)],
  render(ctx, state, options) {
    const { w, h, u } = clear(ctx);
    const [th] = state as [number];
    const cx = w / 2;
    const cy = h / 2;
    const len = Math.min(w, h) * 0.38;
    // θ = 0 is upright; θ grows clockwise on screen.
    ctx.strokeStyle = '#e2e8f0';
    ctx.lineWidth = 2 * u;
    ctx.beginPath();
    ctx.arc(cx, cy, len, 0, 2 * Math.PI);
    ctx.stroke();
    const x = cx + Math.sin(th) * len;
    const y = cy - Math.cos(th) * len;
    ctx.strokeStyle = '#b91c1c';
    ctx.lineWidth = len * 0.16;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(cx, cy);
    ctx.lineTo(x, y);
    ctx.stroke();
    ctx.fillStyle = COLORS.body;
    ctx.beginPath();
    ctx.arc(cx, cy, len * 0.07, 0, 2 * Math.PI);
    ctx.fill();
    const a = options?.action;
    if (a !== undefined) {
      // Positive torque increases θ: clockwise here. The arc's length is proportional to |u| (2 → 270°).
      const torque = Array.isArray(a) ? a[0]! : a;
      arcArrow(ctx, cx, cy, len * 0.3, -Math.PI / 2, (Math.max(-2, Math.min(2, torque)) / 2) * 1.5 * Math.PI, options?.actionColor ?? COLORS.policy, 3 * u);
    }
    caption(ctx, options);
  },
};
