/**
 * MountainCar-v0 and MountainCarContinuous-v0, ports of Gymnasium's classic_control sources. The discrete
 * car keeps a float64 state; the continuous one stores its state as float32 after every step (as
 * Gymnasium's np.array(..., dtype=float32) does) and clips the force in the dynamics — documented Gymnasium
 * behaviour — while its reward uses the unclipped action.
 */
import { checkBox, checkDiscrete, checkSeed, checkState } from './check';
import { arrow, caption, clear, COLORS } from './draw';
import { mulberry32, uniform } from './random';
import type { Action, BoxSpace, Ctx2D, DiscreteSpace, Env, RenderOptions } from './types';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const LAYOUT = ['position', 'velocity'] as const;
const observationSpace: BoxSpace = { kind: 'box', size: 2, low: [MIN_POSITION, -MAX_SPEED], high: [MAX_POSITION, MAX_SPEED], names: ['position', 'velocity'] };
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const f32 = Math.fround;

/** Gymnasium: position ~ U(−0.6, −0.4) (numpy), velocity 0; we draw from mulberry32(seed). */
function resetCar(id: string, seed: number): number[] {
  return [uniform(mulberry32(checkSeed(id, seed)), -0.6, -0.4), 0];
}

/** Scripted expert: push along the velocity; from rest, go left first unless already far left. */
function carExpertSign(state: number[]): number {
  const [x, v] = state as [number, number];
  if (v === 0) return x > -0.485 ? -1 : 1;
  return v > 0 ? 1 : -1;
}

function renderCar(ctx: Ctx2D, state: number[], goal: number, push: number | null, options?: RenderOptions) {
  const { w, h, u } = clear(ctx);
  // Gymnasium's hill: height sin(3x) · 0.45 + 0.55 over x ∈ [−1.2, 0.6].
  const span = MAX_POSITION - MIN_POSITION;
  const sx = (p: number) => ((p - MIN_POSITION) / span) * w;
  const sy = (p: number) => h * 0.9 - (Math.sin(3 * p) * 0.45 + 0.55) * h * 0.6;
  ctx.fillStyle = '#e2e8f0';
  ctx.strokeStyle = COLORS.ground;
  ctx.lineWidth = 2 * u;
  ctx.beginPath();
  ctx.moveTo(0, h);
  for (let i = 0; i <= 100; i++) {
    const p = MIN_POSITION + (span * i) / 100;
    ctx.lineTo(sx(p), sy(p));
  }
  ctx.lineTo(w, h);
  ctx.closePath();
  ctx.fill();
  ctx.beginPath();
  for (let i = 0; i <= 100; i++) {
    const p = MIN_POSITION + (span * i) / 100;
    if (i === 0) ctx.moveTo(sx(p), sy(p));
    else ctx.lineTo(sx(p), sy(p));
  }
  ctx.stroke();
  // Goal flag.
  const gx = sx(goal);
  const gy = sy(goal);
  ctx.fillStyle = COLORS.good;
  ctx.fillRect(gx - u, gy - 30 * u, 2 * u, 30 * u);
  ctx.beginPath();
  ctx.moveTo(gx + u, gy - 30 * u);
  ctx.lineTo(gx + 16 * u, gy - 25 * u);
  ctx.lineTo(gx + u, gy - 20 * u);
  ctx.fill();
  // The car, tilted with the slope.
  const [p] = state as [number];
  const slope = (3 * Math.cos(3 * p) * 0.45 * 0.6 * h) / (w / span);
  ctx.save();
  ctx.translate(sx(p), sy(p));
  ctx.rotate(-Math.atan(slope));
  ctx.fillStyle = COLORS.body;
  ctx.fillRect(-14 * u, -13 * u, 28 * u, 9 * u);
  ctx.fillStyle = COLORS.muted;
  for (const wx of [-8, 8]) {
    ctx.beginPath();
    ctx.arc(wx * u, -4 * u, 4 * u, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
  // The push, proportional to the force (±1 for the discrete car).
  if (push !== null && push !== 0) arrow(ctx, sx(p), sy(p) - 26 * u, Math.max(-1, Math.min(1, push)) * 30 * u, 0, options?.actionColor ?? COLORS.policy, 3 * u);
  caption(ctx, options, `x = ${p.toFixed(3)}`);
}

function observeCarInto(state: number[], out: Float32Array, o: number): void {
  out[o] = state[0]!;
  out[o + 1] = state[1]!;
}

const discreteSpace: DiscreteSpace = { kind: 'discrete', n: 3, names: ['accelerate left', 'no push', 'accelerate right'], keys: ['ArrowLeft', 'ArrowDown', 'ArrowRight'] };

export const MountainCar: Env<number[]> = {
  id: 'MountainCar-v0',
  observationSpace,
  actionSpace: discreteSpace,
  horizon: 200,
  rewardThreshold: -110,
  dt: 1 / 30,
  reset: (seed) => resetCar('MountainCar-v0', seed),
  step(state, action: Action) {
    const a = checkDiscrete('MountainCar-v0', discreteSpace, action);
    let [position, velocity] = checkState('MountainCar-v0', state, LAYOUT) as [number, number];
    velocity += (a - 1) * 0.001 + Math.cos(3 * position) * -0.0025;
    velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
    position += velocity;
    position = clip(position, MIN_POSITION, MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= 0.5 && velocity >= 0;
    return { state: [position, velocity], reward: -1.0, terminated, truncated: false };
  },
  observe: (state) => Float32Array.from(state),
  observeInto: observeCarInto,
  expert: (state) => carExpertSign(state) + 1,
  success: (ep) => ep.terminated,
  parseState: (v) => [...checkState('MountainCar-v0', v, LAYOUT)],
  render(ctx, state, options) {
    renderCar(ctx, state, 0.5, options?.action === undefined ? null : (options.action as number) - 1, options);
  },
};

const boxSpace: BoxSpace = { kind: 'box', size: 1, low: [-1], high: [1], names: ['force'] };

export const MountainCarContinuous: Env<number[]> = {
  id: 'MountainCarContinuous-v0',
  observationSpace,
  actionSpace: boxSpace,
  horizon: 999,
  rewardThreshold: 90,
  dt: 1 / 30,
  reset: (seed) => resetCar('MountainCarContinuous-v0', seed),
  step(state, action: Action) {
    const [u] = checkBox('MountainCarContinuous-v0', boxSpace, action) as [number];
    // The action arrives as float32 (Gymnasium's Box dtype); arithmetic is float64 (numpy < 2 promotion).
    const a = f32(u);
    let [position, velocity] = checkState('MountainCarContinuous-v0', state, LAYOUT) as [number, number];
    // Gymnasium clips the force to [−1, 1] in the dynamics (min(max(action, −1), 1)), not a silent repair:
    // any finite action is valid input, and the reward below uses the unclipped value, as Gymnasium's does.
    const force = Math.min(Math.max(a, -1), 1);
    velocity += force * 0.0015 - 0.0025 * Math.cos(3 * position);
    if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    position += velocity;
    if (position > MAX_POSITION) position = MAX_POSITION;
    if (position < MIN_POSITION) position = MIN_POSITION;
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= 0.45 && velocity >= 0;
    let reward = terminated ? 100.0 : 0;
    reward -= a ** 2 * 0.1; // the unclipped action
    return { state: [f32(position), f32(velocity)], reward, terminated, truncated: false };
  },
  observe: (state) => Float32Array.from(state),
  observeInto: observeCarInto,
  expert: (state) => [0.5 * carExpertSign(state)],
  success: (ep) => ep.terminated,
  parseState: (v) => [...checkState('MountainCarContinuous-v0', v, LAYOUT)],
  render(ctx, state, options) {
    const a = options?.action;
    renderCar(ctx, state, 0.45, a === undefined ? null : Array.isArray(a) ? a[0]! : a, options);
  },
};
