/**
 * LaneFollow-v0: a top-down car keeps its lane on a winding road (after ALVINN). The track is a pure
 * function of the seed (ENVIRONMENTS.md): curvature κ(s) = Σ Aᵢ sin(2πs/Pᵢ + φᵢ), centreline tabulated
 * every 0.25 m by the midpoint rule. State [s, d, ψ, δ, seed]: arc length, lateral offset (left +), heading
 * error, steering angle, and the track's seed. The observation is a 4 × 41 road mask ahead plus δ/0.35.
 */
import { checkDiscrete, checkSeed, checkState } from './check';
import { arrow, caption, clear, COLORS } from './draw';
import { mulberry32 } from './random';
import type { Action, DiscreteSpace, Env } from './types';
import { EnvInputError } from './types';

const P = [120, 70, 45] as const;
const A = [0.025, 0.015, 0.01] as const;
const TABLE_STEP = 0.25;
const TABLE_LENGTH = 460;
const TABLE_N = Math.round(TABLE_LENGTH / TABLE_STEP) + 1;
const V = 10;
const WHEELBASE = 2.5;
const DT = 0.1;
const SUBSTEPS = 4;
const HALF_WIDTH = 1.5;
const MAX_STEER = 0.35;
const STEER_STEP = 0.05;
const LOOKAHEAD = [3, 6, 9, 12] as const;
const CELLS = 41;
const CELL = 0.25;
export const LANE_OBS_SIZE = LOOKAHEAD.length * CELLS + 1;
const LAYOUT = ['s', 'd', 'psi', 'delta', 'seed'] as const;

export interface Track {
  seed: number;
  phi: [number, number, number];
  x: Float64Array;
  y: Float64Array;
  /** Table entries computed so far (the table is extended lazily, as far as the car has looked). */
  built: number;
}

export function trackPhases(seed: number): [number, number, number] {
  const r = mulberry32(seed);
  return [2 * Math.PI * r(), 2 * Math.PI * r(), 2 * Math.PI * r()];
}

export function curvature(phi: readonly number[], s: number): number {
  let k = 0;
  for (let i = 0; i < 3; i++) k += A[i]! * Math.sin((2 * Math.PI * s) / P[i]! + phi[i]!);
  return k;
}

export function roadHeading(phi: readonly number[], s: number): number {
  let th = 0;
  for (let i = 0; i < 3; i++) th += ((-A[i]! * P[i]!) / (2 * Math.PI)) * (Math.cos((2 * Math.PI * s) / P[i]! + phi[i]!) - Math.cos(phi[i]!));
  return th;
}

const tracks = new Map<number, Track>();

/**
 * The track of a seed, cached (the 256 most recent). Its table is built lazily: a short episode only pays
 * for the metres it saw, which keeps resets cheap; the entries are the same as a full tabulation.
 */
export function getTrack(seed: number): Track {
  let t = tracks.get(seed);
  if (t) return t;
  t = { seed, phi: trackPhases(seed), x: new Float64Array(TABLE_N), y: new Float64Array(TABLE_N), built: 1 };
  if (tracks.size >= 256) tracks.delete(tracks.keys().next().value!);
  tracks.set(seed, t);
  return t;
}

/** Makes table entries 0..i available (midpoint rule, in order). */
function extend(t: Track, i: number): void {
  const end = Math.min(i + 1, TABLE_N);
  const { x, y, phi } = t;
  for (let k = t.built; k < end; k++) {
    const th = roadHeading(phi, (k - 0.5) * TABLE_STEP);
    x[k] = x[k - 1]! + TABLE_STEP * Math.cos(th);
    y[k] = y[k - 1]! + TABLE_STEP * Math.sin(th);
  }
  if (end > t.built) t.built = end;
}

/** The whole centreline table (x, y every 0.25 m out to 460 m). */
export function trackTable(t: Track): { x: Float64Array; y: Float64Array } {
  extend(t, TABLE_N - 1);
  return { x: t.x, y: t.y };
}

/** Centreline point at arc length s (linear interpolation in the table). */
export function centreline(t: Track, s: number): [number, number] {
  const u = Math.min(Math.max(s / TABLE_STEP, 0), TABLE_N - 1);
  const i = Math.min(Math.floor(u), TABLE_N - 2);
  if (i + 1 >= t.built) extend(t, i + 1);
  const f = u - i;
  return [t.x[i]! + f * (t.x[i + 1]! - t.x[i]!), t.y[i]! + f * (t.y[i + 1]! - t.y[i]!)];
}

/** The car's pose: centreline point shifted by d along the road normal, heading θ(s) + ψ. */
function pose(t: Track, s: number, d: number, psi: number): { x: number; y: number; h: number; th: number } {
  const th = roadHeading(t.phi, s);
  const [cx, cy] = centreline(t, s);
  return { x: cx - d * Math.sin(th), y: cy + d * Math.cos(th), h: th + psi, th };
}

/** Writes the 165-float observation of state into out (from offset o). */
export function laneObserveInto(state: readonly number[], out: Float32Array, o = 0): void {
  const [s, d, psi, delta, seed] = state as [number, number, number, number, number];
  const t = getTrack(seed);
  const p = pose(t, s, d, psi);
  const sinH = Math.sin(p.h);
  const cosH = Math.cos(p.h);
  for (let r = 0; r < LOOKAHEAD.length; r++) {
    const [px, py] = centreline(t, s + LOOKAHEAD[r]!);
    const yc = -sinH * (px - p.x) + cosH * (py - p.y);
    const lo = yc - HALF_WIDTH;
    const hi = yc + HALF_WIDTH;
    for (let j = 0; j < CELLS; j++) {
      const c = (j - 20) * CELL;
      const a = Math.max(lo, c - CELL / 2);
      const b = Math.min(hi, c + CELL / 2);
      out[o + r * CELLS + j] = b > a ? (b - a) / CELL : 0;
    }
  }
  out[o + LANE_OBS_SIZE - 1] = delta / MAX_STEER;
}

/** Advances [s, d, ψ, δ] in place by one 0.1 s step with steering action a; returns the reward. */
export function laneStepInPlace(st: number[] | Float64Array, a: number, t: Track): number {
  let s = st[0]!;
  let d = st[1]!;
  let psi = st[2]!;
  const delta = Math.min(Math.max(st[3]! + (a - 1) * STEER_STEP, -MAX_STEER), MAX_STEER);
  const s0 = s;
  const h = DT / SUBSTEPS;
  const yawRate = (V * Math.tan(delta)) / WHEELBASE;
  for (let k = 0; k < SUBSTEPS; k++) {
    const kappa = curvature(t.phi, s);
    const sDot = (V * Math.cos(psi)) / (1 - kappa * d);
    const dDot = V * Math.sin(psi);
    const psiDot = yawRate - kappa * sDot;
    s += h * sDot;
    d += h * dDot;
    psi += h * psiDot;
  }
  st[0] = s;
  st[1] = d;
  st[2] = psi;
  st[3] = delta;
  return (s - s0) / (V * DT);
}

const actionSpace: DiscreteSpace = { kind: 'discrete', n: 3, names: ['steer right', 'hold', 'steer left'], keys: ['ArrowRight', 'ArrowUp', 'ArrowLeft'] };

export const LaneFollow: Env<number[]> = {
  id: 'LaneFollow-v0',
  observationSpace: {
    kind: 'box',
    size: LANE_OBS_SIZE,
    low: Array(LANE_OBS_SIZE).fill(0).map((_, i) => (i === LANE_OBS_SIZE - 1 ? -1 : 0)),
    high: Array(LANE_OBS_SIZE).fill(1),
    names: [...LOOKAHEAD.flatMap((L) => Array.from({ length: CELLS }, (_, j) => `road ${L}m ${((j - 20) * CELL).toFixed(2)}`)), 'steering/0.35'],
  },
  actionSpace,
  horizon: 400,
  rewardThreshold: null,
  dt: DT,
  reset(seed) {
    // The seed names the track (and the state carries it); every episode starts on the centreline at rest.
    return [0, 0, 0, 0, checkSeed('LaneFollow-v0', seed)];
  },
  step(state, action: Action) {
    const a = checkDiscrete('LaneFollow-v0', actionSpace, action);
    const st = LaneFollow.parseState(state);
    const reward = laneStepInPlace(st, a, getTrack(st[4]!));
    return { state: st, reward, terminated: Math.abs(st[1]!) > HALF_WIDTH, truncated: false };
  },
  observe(state) {
    const out = new Float32Array(LANE_OBS_SIZE);
    laneObserveInto(state, out);
    return out;
  },
  observeInto: laneObserveInto,
  expert(state) {
    const [s, d, psi, delta, seed] = state as [number, number, number, number, number];
    const t = getTrack(seed);
    const p = pose(t, s, d, psi);
    const [tx, ty] = centreline(t, s + 10);
    const rx = tx - p.x;
    const ry = ty - p.y;
    const xl = Math.cos(p.h) * rx + Math.sin(p.h) * ry;
    const yl = -Math.sin(p.h) * rx + Math.cos(p.h) * ry;
    const target = Math.atan((2 * WHEELBASE * Math.sin(Math.atan2(yl, xl))) / Math.hypot(xl, yl));
    if (target - delta > 0.025) return 2;
    if (target - delta < -0.025) return 0;
    return 1;
  },
  success: (ep) => !ep.terminated && ep.length >= 400,
  fast: {
    stateSize: 5,
    reset(seed, s, o) {
      s.fill(0, o, o + 4);
      s[o + 4] = seed;
    },
    step(s, o, action, done, i) {
      const view = s.subarray(o, o + 5);
      const reward = laneStepInPlace(view, action, getTrack(view[4]!));
      done[i] = Math.abs(view[1]!) > HALF_WIDTH ? 1 : 0;
      return reward;
    },
    observe(s, o, out, oo) {
      laneObserveInto(s.subarray(o, o + 5) as unknown as number[], out, oo);
    },
    read: (s, o) => Array.from(s.subarray(o, o + 5)),
  },
  parseState(value) {
    const st = [...checkState('LaneFollow-v0', value, LAYOUT)];
    if (!Number.isInteger(st[4])) throw new EnvInputError(`LaneFollow-v0: state seed must be an integer, got ${st[4]}`);
    return st;
  },
  render(ctx, state, options) {
    const { w, h, u } = clear(ctx, '#d9f99d');
    const [s, d, psi, delta, seed] = state as [number, number, number, number, number];
    const t = getTrack(seed);
    const p = pose(t, s, d, psi);
    // Car-centred view, heading up: world → screen.
    const scale = Math.min(w, h) / 24;
    const ox = w / 2;
    const oy = h * 0.72;
    const toScreen = (x: number, y: number): [number, number] => {
      const rx = x - p.x;
      const ry = y - p.y;
      const fwd = Math.cos(p.h) * rx + Math.sin(p.h) * ry;
      const left = -Math.sin(p.h) * rx + Math.cos(p.h) * ry;
      return [ox - left * scale, oy - fwd * scale];
    };
    const edge = (side: number) => {
      ctx.beginPath();
      for (let k = -40; k <= 120; k++) {
        const sk = s + k * 0.25;
        const th = roadHeading(t.phi, sk);
        const [cx, cy] = centreline(t, sk);
        const [X, Y] = toScreen(cx - side * Math.sin(th), cy + side * Math.cos(th));
        if (k === -40) ctx.moveTo(X, Y);
        else ctx.lineTo(X, Y);
      }
    };
    ctx.strokeStyle = '#475569';
    ctx.lineWidth = 2 * HALF_WIDTH * scale;
    ctx.lineJoin = 'round';
    edge(0);
    ctx.stroke();
    ctx.strokeStyle = '#f8fafc';
    ctx.lineWidth = 1.5 * u;
    for (const side of [-HALF_WIDTH, HALF_WIDTH]) {
      edge(side);
      ctx.stroke();
    }
    ctx.strokeStyle = '#facc15';
    ctx.lineWidth = u;
    edge(0);
    ctx.stroke();
    // The observation: the look-ahead rows' 41 cells, shaded by how much road each covers.
    const obs = new Float32Array(LANE_OBS_SIZE);
    laneObserveInto(state, obs);
    ctx.fillStyle = '#4f46e5';
    LOOKAHEAD.forEach((L, r) => {
      for (let j = 0; j < CELLS; j++) {
        ctx.globalAlpha = 0.12 + 0.5 * obs[r * CELLS + j]!;
        ctx.fillRect(ox - ((j - 20) * CELL + CELL / 2) * scale, oy - L * scale - 0.15 * scale, CELL * scale * 0.9, 0.3 * scale);
      }
    });
    ctx.globalAlpha = 1;
    ctx.save();
    ctx.translate(ox, oy);
    ctx.fillStyle = '#dc2626';
    ctx.fillRect(-0.9 * scale, -2.2 * scale, 1.8 * scale, 4.2 * scale);
    ctx.fillStyle = '#1e293b';
    ctx.rotate(-delta);
    ctx.fillRect(-0.15 * scale, -2.4 * scale, 0.3 * scale, 0.9 * scale);
    ctx.restore();
    if (options?.action !== undefined) {
      const a = options.action as number;
      arrow(ctx, ox, oy - 3 * scale, (1 - a) * 2.5 * scale, -2 * scale, options.actionColor ?? COLORS.policy, 3 * u);
    }
    caption(ctx, options, `s = ${s.toFixed(1)} m  d = ${d.toFixed(2)} m`);
  },
};
