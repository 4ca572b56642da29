/**
 * MountainCar-v0 and MountainCarContinuous-v0, ports of Gymnasium's classic_control sources. The discrete
 * car keeps a float64 state; the continuous one stores its state as float32 after every step (as
 * Gymnasium's np.array(..., dtype=float32) does) and clips the force in the dynamics — documented Gymnasium
 * behaviour — while its reward uses the unclipped action.
 */
import { checkBox, checkDiscrete, checkState } from './check';
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

function resetCar(seed: number): number[] {
  return [uniform(mulberry32(seed), -0.6, -0.4), 0];
}

/** Scripted expert: push along the velocity; from rest, go left first unless already far left. */
function carExpertSign(state: number[]): number {
  const [x, v] = state as [number, number];
  if (v === 0) return x > -0.485 ? -1 : 1;
  return v > 0 ? 1 : -1;
}

function renderCar(ctx: Ctx2D, state: number[], goal: number, pushDir: number | null, options?: RenderOptions) {
  const { w, h } = clear(ctx);
  const sx = (p: number) => ((p - MIN_POSITION) / (MAX_POSITION - MIN_POSITION)) * w;
  const sy = (p: number) => h * 0.85 - (Math.sin(3 * p) * 0.45 + 0.55) * h * 0.6;
  ctx.strokeStyle = COLORS.ground;
  ctx.lineWidth = 3;
  ctx.beginPath();
  for (let i = 0; i <= 100; i++) {
    const p = MIN_POSITION + ((MAX_POSITION - MIN_POSITION) * i) / 100;
    if (i === 0) ctx.moveTo(sx(p), sy(p));
    else ctx.lineTo(sx(p), sy(p));
  }
  ctx.stroke();
  ctx.fillStyle = COLORS.good;
  ctx.fillRect(sx(goal) - 1, sy(goal) - 40, 3, 40);
  ctx.beginPath();
  ctx.moveTo(sx(goal) + 2, sy(goal) - 40);
  ctx.lineTo(sx(goal) + 22, sy(goal) - 34);
  ctx.lineTo(sx(goal) + 2, sy(goal) - 28);
  ctx.fill();
  const [p] = state as [number];
  const angle = Math.atan(Math.cos(3 * p) * 3 * 0.45 * 0.6 * h / ((MAX_POSITION - MIN_POSITION) / 1) / w);
  ctx.save();
  ctx.translate(sx(p), sy(p));
  ctx.rotate(-angle);
  ctx.fillStyle = COLORS.body;
  ctx.fillRect(-18, -16, 36, 12);
  ctx.fillStyle = COLORS.muted;
  for (const wx of [-10, 10]) {
    ctx.beginPath();
    ctx.arc(wx, -4, 5, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
  if (pushDir !== null && pushDir !== 0) arrow(ctx, sx(p), sy(p) - 30, pushDir * 40, 0, options?.actionColor ?? COLORS.policy);
  caption(ctx, options, `x = ${p.toFixed(3)}`);
}

const discreteSpace: DiscreteSpace = { kind: 'discrete', n: 3, names: ['accelerate left', 'no push', 'accelerate right'], keys: ['ArrowLeft', 'ArrowDown', 'ArrowRight'] };

export const MountainCar: Env<number[]> = {
  id: 'MountainCar-v0',
  observationSpace,
  actionSpace: discreteSpace,
  horizon: 200,
  rewardThreshold: -110,
  dt: 1 / 30,
  reset: resetCar,
  step(state, action: Action) {
    const a = checkDiscrete(this.id, discreteSpace, action);
    let [position, velocity] = checkState(this.id, state, LAYOUT) as [number, number];
    velocity += (a - 1) * 0.001 + Math.cos(3 * position) * -0.0025;
    velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
    position += velocity;
    position = clip(position, MIN_POSITION, MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= 0.5 && velocity >= 0;
    return { state: [position, velocity], reward: -1.0, terminated, truncated: false };
  },
  observe: (state) => Float32Array.from(state),
  expert: (state) => carExpertSign(state) + 1,
  success: (ep) => ep.terminated,
  parseState: (v) => checkState('MountainCar-v0', v, LAYOUT),
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
  reset: resetCar,
  step(state, action: Action) {
    const [u] = checkBox(this.id, boxSpace, action) as [number];
    // The action arrives as float32 (Gymnasium's Box dtype); arithmetic is float64 (numpy < 2 promotion).
    const a = f32(u);
    let [position, velocity] = checkState(this.id, state, LAYOUT) as [number, number];
    const force = Math.min(Math.max(a, -1), 1); // Gymnasium clips the force in the dynamics
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
  expert: (state) => [0.5 * carExpertSign(state)],
  success: (ep) => ep.terminated,
  parseState: (v) => checkState('MountainCarContinuous-v0', v, LAYOUT),
  render(ctx, state, options) {
    const a = options?.action;
    renderCar(ctx, state, 0.45, a === undefined ? null : Array.isArray(a) ? a[0]! : a, options);
  },
};
