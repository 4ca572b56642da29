/**
 * Acrobot-v1, a port of Gymnasium's classic_control/acrobot.py ("book" dynamics): one RK4 step of 0.2 s,
 * angles wrapped to [−π, π], speeds clipped to ±4π and ±9π. The arithmetic follows the Python expression
 * order so states agree to ~1e-15.
 */
import { checkDiscrete, checkSeed, checkState } from './check';
import { arcArrow, caption, clear, COLORS } from './draw';
import { mulberry32, uniform } from './random';
import type { Action, DiscreteSpace, Env } from './types';

const DT = 0.2;
const L1 = 1.0;
const M1 = 1.0;
const M2 = 1.0;
const LC1 = 0.5;
const LC2 = 0.5;
const I1 = 1.0;
const I2 = 1.0;
const G = 9.8;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const TORQUES = [-1.0, 0.0, 1];
const LAYOUT = ['theta1', 'theta2', 'dtheta1', 'dtheta2'] as const;
const ID = 'Acrobot-v1';

function dsdt(s: number[]): number[] {
  const [theta1, theta2, dtheta1, dtheta2, a] = s as [number, number, number, number, number];
  const d1 = M1 * LC1 ** 2 + M2 * (L1 ** 2 + LC2 ** 2 + 2 * L1 * LC2 * Math.cos(theta2)) + I1 + I2;
  const d2 = M2 * (LC2 ** 2 + L1 * LC2 * Math.cos(theta2)) + I2;
  const phi2 = M2 * LC2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -M2 * L1 * LC2 * dtheta2 ** 2 * Math.sin(theta2) -
    2 * M2 * L1 * LC2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (M1 * LC1 + M2 * L1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 = (a + (d2 / d1) * phi1 - M2 * L1 * LC2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (M2 * LC2 ** 2 + I2 - d2 ** 2 / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return [dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0];
}

const axpy = (y: number[], h: number, k: number[]) => y.map((v, i) => v + h * k[i]!);

function rk4(y0: number[]): number[] {
  const dt2 = DT / 2.0;
  const k1 = dsdt(y0);
  const k2 = dsdt(axpy(y0, dt2, k1));
  const k3 = dsdt(axpy(y0, dt2, k2));
  const k4 = dsdt(axpy(y0, DT, k3));
  const c = DT / 6.0;
  return y0.map((v, i) => v + c * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
}

function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const actionSpace: DiscreteSpace = { kind: 'discrete', n: 3, names: ['torque −1', 'no torque', 'torque +1'], keys: ['ArrowLeft', 'ArrowDown', 'ArrowRight'] };

export const Acrobot: Env<number[]> = {
  id: ID,
  observationSpace: {
    kind: 'box',
    size: 6,
    low: [-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2],
    high: [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2],
    names: ['cos θ1', 'sin θ1', 'cos θ2', 'sin θ2', 'θ̇1', 'θ̇2'],
  },
  actionSpace,
  horizon: 500,
  rewardThreshold: -100,
  dt: DT,
  reset(seed) {
    // Gymnasium draws U(−0.1, 0.1)⁴ with numpy and stores it as float32; we draw from mulberry32(seed).
    const r = mulberry32(checkSeed(ID, seed));
    return [0, 1, 2, 3].map(() => Math.fround(uniform(r, -0.1, 0.1)));
  },
  step(state, action: Action) {
    const a = checkDiscrete(ID, actionSpace, action);
    const s = checkState(ID, state, LAYOUT);
    const ns = rk4([...s, TORQUES[a]!]);
    const next = [wrap(ns[0]!, -Math.PI, Math.PI), wrap(ns[1]!, -Math.PI, Math.PI), clip(ns[2]!, -MAX_VEL_1, MAX_VEL_1), clip(ns[3]!, -MAX_VEL_2, MAX_VEL_2)];
    const terminated = -Math.cos(next[0]!) - Math.cos(next[1]! + next[0]!) > 1.0;
    return { state: next, reward: terminated ? 0.0 : -1.0, terminated, truncated: false };
  },
  observe(state) {
    const out = new Float32Array(6);
    Acrobot.observeInto!(state, out, 0);
    return out;
  },
  observeInto(state, out, o) {
    const [t1, t2, d1, d2] = state as [number, number, number, number];
    out[o] = Math.cos(t1);
    out[o + 1] = Math.sin(t1);
    out[o + 2] = Math.cos(t2);
    out[o + 3] = Math.sin(t2);
    out[o + 4] = d1;
    out[o + 5] = d2;
  },
  expert(state) {
    const [, , d1, d2] = state as [number, number, number, number];
    return d2 - 0.5 * d1 > 0 ? 2 : 0;
  },
  success: (ep) => ep.terminated,
  parseState: (v) => [...checkState(ID, v, LAYOUT)],
  render(ctx, state, options) {
    const { w, h, u } = clear(ctx);
    const [t1, t2] = state as [number, number];
    // Two 1 m links hanging from the pivot; the goal line is 1 m above it (−cos θ1 − cos(θ1 + θ2) > 1).
    const scale = Math.min(w, h) / 4.6;
    const cx = w / 2;
    const cy = h / 2 + 0.2 * scale;
    ctx.strokeStyle = COLORS.good;
    ctx.lineWidth = 2 * u;
    ctx.beginPath();
    ctx.moveTo(cx - 2.2 * scale, cy - scale);
    ctx.lineTo(cx + 2.2 * scale, cy - scale);
    ctx.stroke();
    const x1 = cx + Math.sin(t1) * scale;
    const y1 = cy + Math.cos(t1) * scale;
    const x2 = x1 + Math.sin(t1 + t2) * scale;
    const y2 = y1 + Math.cos(t1 + t2) * scale;
    ctx.strokeStyle = COLORS.body;
    ctx.lineWidth = scale * 0.12;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(cx, cy);
    ctx.lineTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
    ctx.fillStyle = '#ca8a04';
    for (const [px, py] of [[cx, cy], [x1, y1]] as const) {
      ctx.beginPath();
      ctx.arc(px, py, scale * 0.08, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (options?.action !== undefined) {
      // The torque acts at the second joint; +1 turns the second link counter-clockwise in this picture.
      const torque = TORQUES[options.action as number] ?? 0;
      const a0 = Math.atan2(y2 - y1, x2 - x1);
      arcArrow(ctx, x1, y1, scale * 0.35, a0, -torque * 1.6, options.actionColor ?? COLORS.policy, 3 * u);
    }
    caption(ctx, options);
  },
};
