/**
 * CartPole-v1, a port of Gymnasium's classic_control/cartpole.py (explicit Euler). State [x, ẋ, θ, θ̇] in
 * float64; the observation is its float32 copy. Reward 1 per step (the raw env's 0 after termination is not
 * modelled: our episodes end at termination).
 */
import { checkDiscrete, checkSeed, checkState } from './check';
import { arrow, caption, clear, COLORS } from './draw';
import { mulberry32, uniform } from './random';
import type { Action, DiscreteSpace, Env } from './types';

const GRAVITY = 9.8;
const MASSCART = 1.0;
const MASSPOLE = 0.1;
const TOTAL_MASS = MASSPOLE + MASSCART;
const LENGTH = 0.5; // half the pole's length
const POLEMASS_LENGTH = MASSPOLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;
const LAYOUT = ['x', 'x_dot', 'theta', 'theta_dot'] as const;
const ID = 'CartPole-v1';
/** np.finfo(np.float32).max: Gymnasium's bound for the unbounded speeds (JSON-able, unlike Infinity). */
const F32_MAX = 3.4028234663852886e38;

export type CartPoleState = number[];

const actionSpace: DiscreteSpace = { kind: 'discrete', n: 2, names: ['push left', 'push right'], keys: ['ArrowLeft', 'ArrowRight'] };

/** One Euler step in place on a Float64Array slice (the vector runner's fast path). */
export function cartpoleStepInPlace(s: Float64Array, o: number, action: number): boolean {
  const x = s[o]!;
  const xDot = s[o + 1]!;
  const theta = s[o + 2]!;
  const thetaDot = s[o + 3]!;
  const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
  const costheta = Math.cos(theta);
  const sintheta = Math.sin(theta);
  const temp = (force + POLEMASS_LENGTH * thetaDot ** 2 * sintheta) / TOTAL_MASS;
  const thetaacc = (GRAVITY * sintheta - costheta * temp) / (LENGTH * (4.0 / 3.0 - (MASSPOLE * costheta ** 2) / TOTAL_MASS));
  const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
  const nx = x + TAU * xDot;
  const nth = theta + TAU * thetaDot;
  s[o] = nx;
  s[o + 1] = xDot + TAU * xacc;
  s[o + 2] = nth;
  s[o + 3] = thetaDot + TAU * thetaacc;
  return nx < -X_THRESHOLD || nx > X_THRESHOLD || nth < -THETA_THRESHOLD || nth > THETA_THRESHOLD;
}

export const CartPole: Env<CartPoleState> = {
  id: ID,
  observationSpace: {
    kind: 'box',
    size: 4,
    low: [-4.8, -F32_MAX, Math.fround(-THETA_THRESHOLD * 2), -F32_MAX],
    high: [4.8, F32_MAX, Math.fround(THETA_THRESHOLD * 2), F32_MAX],
    names: ['cart position', 'cart velocity', 'pole angle', 'pole angular velocity'],
  },
  actionSpace,
  horizon: 500,
  rewardThreshold: 475,
  dt: TAU,
  // Gymnasium draws each component from U(−0.05, 0.05) with numpy; we use mulberry32(seed).
  reset(seed) {
    const r = mulberry32(checkSeed(ID, seed));
    return [0, 1, 2, 3].map(() => uniform(r, -0.05, 0.05));
  },
  step(state, action: Action) {
    const a = checkDiscrete(ID, actionSpace, action);
    const s = Float64Array.from(checkState(ID, state, LAYOUT));
    const terminated = cartpoleStepInPlace(s, 0, a);
    return { state: Array.from(s), reward: 1.0, terminated, truncated: false };
  },
  observe(state) {
    return Float32Array.from(state);
  },
  observeInto(state, out, o) {
    for (let k = 0; k < 4; k++) out[o + k] = state[k]!;
  },
  expert(state) {
    const [x, xDot, theta, thetaDot] = state as [number, number, number, number];
    return x + 1.5 * xDot + 18 * theta + 3 * thetaDot > 0 ? 1 : 0;
  },
  success: (ep) => ep.return >= 475,
  fast: {
    stateSize: 4,
    reset(seed, s, o) {
      const r = mulberry32(seed);
      for (let k = 0; k < 4; k++) s[o + k] = uniform(r, -0.05, 0.05);
    },
    step(s, o, action, done, i) {
      done[i] = cartpoleStepInPlace(s, o, action) ? 1 : 0;
      return 1.0;
    },
    observe(s, o, out, oo) {
      for (let k = 0; k < 4; k++) out[oo + k] = s[o + k]!;
    },
    read: (s, o) => Array.from(s.subarray(o, o + 4)),
  },
  parseState(value) {
    return [...checkState(ID, value, LAYOUT)];
  },
  render(ctx, state, options) {
    const { w, h, u } = clear(ctx);
    const [x, , theta] = state as [number, number, number];
    // The track spans ±2.4 m (the termination limits) with a margin; the pole is 1 m long.
    const scale = Math.min(w / (2 * X_THRESHOLD * 1.2), h * 0.5);
    const groundY = h * 0.72;
    ctx.strokeStyle = COLORS.ground;
    ctx.lineWidth = 2 * u;
    ctx.beginPath();
    ctx.moveTo(0, groundY);
    ctx.lineTo(w, groundY);
    ctx.stroke();
    ctx.fillStyle = COLORS.muted;
    for (const lim of [-X_THRESHOLD, X_THRESHOLD]) ctx.fillRect(w / 2 + lim * scale - u, groundY - 8 * u, 2 * u, 16 * u);
    const cx = w / 2 + x * scale;
    const cartW = 0.5 * scale;
    const cartH = 0.3 * scale;
    ctx.fillStyle = COLORS.body;
    ctx.fillRect(cx - cartW / 2, groundY - cartH, cartW, cartH);
    const poleLen = 2 * LENGTH * scale;
    ctx.strokeStyle = '#ca8a04';
    ctx.lineWidth = Math.max(2, scale * 0.1);
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(cx, groundY - cartH);
    ctx.lineTo(cx + Math.sin(theta) * poleLen, groundY - cartH - Math.cos(theta) * poleLen);
    ctx.stroke();
    ctx.fillStyle = COLORS.muted;
    ctx.beginPath();
    ctx.arc(cx, groundY - cartH, Math.max(2, scale * 0.05), 0, 2 * Math.PI);
    ctx.fill();
    if (options?.action !== undefined) {
      const dir = options.action === 1 ? 1 : -1;
      arrow(ctx, cx + (dir * cartW) / 2, groundY - cartH / 2, dir * cartW, 0, options.actionColor ?? COLORS.policy, 3 * u);
    }
    caption(ctx, options);
  },
};
