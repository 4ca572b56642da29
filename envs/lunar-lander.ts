/**
 * LunarLander-v3 (discrete actions, no wind), a port of Gymnasium's box2d/lunar_lander.py on planck 1.5.0 (a
 * JavaScript port of Box2D; pinned: other versions give other trajectories). Gymnasium's Box2D computes in
 * float32 and planck in float64, and planck resets a body's sleep timer whenever it is woken even if it was
 * awake, so the port reproduces Gymnasium's statistics, not its exact trajectories (ENVIRONMENTS.md). The
 * expert (Gymnasium's `heuristic`) scores 241 ± 3 (standard error; 1000 seeds), landing 93 % of the time.
 *
 * State: plain JSON (see LunarLanderState): the three bodies, the joints' and contacts' accumulated impulses
 * (Box2D's warm start), Box2D's contact list order, sleep timers, leg contact flags, terrain heights, the
 * engines' random generator and the previous step's reward shaping.
 *
 * `step` is a pure function of that JSON: it builds a planck world from the state, fires the engines, takes
 * one Box2D step, reads the new state back and takes the world apart. A state saved to the database and
 * loaded again therefore steps exactly like the object it was saved from, stepping twice from one state gives
 * one result, and a rollout replays bit for bit whatever else the process did in between. A world that keeps
 * running (no rebuild) agrees with this to ≈ 1e-15 per step (lunar-lander.test.ts) and is about twice as
 * fast; we keep the pure version (≈ 10k steps/s on one core, bench/env-steps.ts) because a cache of live
 * worlds would make a step's result depend on whether its state came from memory or from JSON.
 *
 * Randomness: Gymnasium draws terrain heights, the initial push and two engine "dispersion" numbers per step
 * from numpy's generator; we draw them, in the same order, from mulberry32 (seeded by `reset(seed)`, then
 * carried in the state as `rng`), since numpy's stream cannot be reproduced here.
 */
import { Box, Edge, Polygon, RevoluteJoint, World } from 'planck';
import type { Body, Contact, Fixture, Joint } from 'planck';
import { checkDiscrete } from './check';
import { caption, clear } from './draw';
import { mulberry32Draw } from './random';
import { EnvInputError } from './types';
import type { Action, Ctx2D, DiscreteSpace, Env, RenderOptions } from './types';

// Gymnasium's constants (lunar_lander.py).
const FPS = 50;
const SCALE = 30.0;
const MAIN_ENGINE_POWER = 13.0;
const SIDE_ENGINE_POWER = 0.6;
const INITIAL_RANDOM = 1000.0;
const LANDER_POLY: readonly (readonly [number, number])[] = [[-14, +17], [-17, 0], [-17, -10], [+17, -10], [+17, 0], [+14, +17]];
const LEG_AWAY = 20;
const LEG_DOWN = 18;
const LEG_W = 2;
const LEG_H = 8;
const LEG_SPRING_TORQUE = 40;
const SIDE_ENGINE_HEIGHT = 14;
const SIDE_ENGINE_AWAY = 12;
const MAIN_ENGINE_Y_LOCATION = 4;
const VIEWPORT_W = 600;
const VIEWPORT_H = 400;
const W = VIEWPORT_W / SCALE;
const H = VIEWPORT_H / SCALE;
const CHUNKS = 11;
const CHUNK_X = Array.from({ length: CHUNKS }, (_, i) => (W / (CHUNKS - 1)) * i);
const HELIPAD_X1 = CHUNK_X[Math.floor(CHUNKS / 2) - 1]!;
const HELIPAD_X2 = CHUNK_X[Math.floor(CHUNKS / 2) + 1]!;
const HELIPAD_Y = H / 4;
const DT = 1.0 / FPS;
const VELOCITY_ITERATIONS = 6 * 30;
const POSITION_ITERATIONS = 2 * 30;

/** Fixture numbering used in `contacts` (fixture userData): ground edges, then the lander, then the legs. */
const FIX_BASE = 0; // the bottom edge (0, 0)–(W, 0)
const FIX_TERRAIN = 1; // 1..10: terrain edges between chunks
const FIX_LANDER = FIX_TERRAIN + CHUNKS - 1; // 11
const FIX_LEG = FIX_LANDER + 1; // 12, 13

/** One rigid body. (x, y) is the body origin (Box2D's `position`), (vx, vy) the velocity of its centre of mass. */
export interface LanderBody {
  x: number;
  y: number;
  angle: number;
  vx: number;
  vy: number;
  omega: number;
  /** Box2D's sleep timer (s); the island sleeps when every body has rested 0.5 s. */
  sleepTime: number;
  awake: boolean;
}

/** A leg's revolute joint: accumulated impulses (warm start) and limit state, as Box2D keeps them. */
export interface LanderJoint {
  impulse: [number, number, number];
  motorImpulse: number;
  limitState: number;
}

/**
 * A contact (a pair of fixtures whose bounding boxes overlap) between fixtures a and b (numbering above), in
 * the order of Box2D's contact list (newest first: the order of Begin/EndContact callbacks and of the solver).
 * It touches when it has manifold points; each is [indexA, typeA, indexB, typeB, normal impulse, tangent
 * impulse]: Box2D's contact feature (which vertex or face of each shape), which identifies the point from one
 * step to the next, and its accumulated impulses (the solver's warm start).
 */
export type LanderContactPoint = [number, number, number, number, number, number];
export interface LanderContact {
  a: number;
  b: number;
  points: LanderContactPoint[];
}

export interface LunarLanderState {
  /** Steps taken since reset. */
  t: number;
  /** mulberry32 state for the engines' dispersion (uint32). */
  rng: number;
  /** Smoothed terrain heights at x = 0, 2, …, 20 (Gymnasium's smooth_y). */
  terrain: number[];
  lander: LanderBody;
  /** legs[0] hangs on the +x side (Gymnasium's i = −1 leg), legs[1] on the −x side. */
  legs: [LanderBody, LanderBody];
  legContact: [boolean, boolean];
  /** The lander's hull touched the ground (sticky, as Gymnasium's game_over). */
  gameOver: boolean;
  /** Reward shaping of the previous observation. */
  prevShaping: number;
  joints: [LanderJoint, LanderJoint];
  contacts: LanderContact[];
}

// ---------------------------------------------------------------------------------------------------------
// planck internals. Box2D's warm start and sleep state are not public in planck's API; these are the fields of
// planck 1.5.0 (pinned in package.json) that hold them. `lunar-lander.test.ts` checks they exist.
interface WorldInternals {
  findNewContacts(): void;
  createContact(proxyA: unknown, proxyB: unknown): void;
  m_newFixture: boolean;
  s_step: { dt: number; inv_dt: number };
}
interface BodyInternals {
  m_sleepTime: number;
  m_awakeFlag: boolean;
}
interface JointInternals {
  m_impulse: { x: number; y: number; z: number };
  m_motorImpulse: number;
  m_limitState: number;
}
interface ManifoldPointInternals {
  id: { key: number; indexA: number; indexB: number; typeA: number; typeB: number };
  normalImpulse: number;
  tangentImpulse: number;
}
interface ContactInternals {
  m_touchingFlag: boolean;
  m_manifold: { pointCount: number; points: ManifoldPointInternals[] };
}
/** Fails loudly (once) if planck's internals are not those of 1.5.0, rather than simulating something else. */
let internalsChecked = false;
function checkInternals(world: World, body: Body, joint: Joint): void {
  if (internalsChecked) return;
  const w = world as unknown as Partial<WorldInternals>;
  const b = body as unknown as Partial<BodyInternals>;
  const j = joint as unknown as Partial<JointInternals>;
  const ok =
    typeof w.findNewContacts === 'function' &&
    typeof w.createContact === 'function' &&
    typeof w.m_newFixture === 'boolean' &&
    typeof w.s_step?.inv_dt === 'number' &&
    typeof b.m_sleepTime === 'number' &&
    typeof b.m_awakeFlag === 'boolean' &&
    typeof j.m_impulse?.z === 'number' &&
    typeof j.m_motorImpulse === 'number' &&
    typeof j.m_limitState === 'number';
  if (!ok) throw new Error('LunarLander-v3 needs planck 1.5.0: the planck installed lacks the internal fields it restores');
  internalsChecked = true;
}
const bodyInternals = (b: Body) => b as unknown as BodyInternals;
const jointInternals = (j: Joint) => j as unknown as JointInternals;
const contactInternals = (c: Contact) => c as unknown as ContactInternals;

// Shapes are immutable and planck does not copy them into fixtures, so they are built once.
const LANDER_SHAPE = new Polygon(LANDER_POLY.map(([x, y]) => ({ x: x / SCALE, y: y / SCALE })));
const LEG_SHAPE = new Box(LEG_W / SCALE, LEG_H / SCALE);
const BASE_EDGE = new Edge({ x: 0, y: 0 }, { x: W, y: 0 });

/** A planck world built from a state, with Gymnasium's contact listener writing into `flags`. */
interface Sim {
  world: World;
  lander: Body;
  legs: [Body, Body];
  joints: [Joint, Joint];
  flags: { legContact: [boolean, boolean]; gameOver: boolean; live: boolean };
}

function fixtureIndex(f: Fixture): number {
  return f.getUserData() as number;
}

function makeBody(world: World, b: LanderBody, fixture: { shape: Polygon; density: number; friction: number; category: number; index: number }): Body {
  const body = world.createBody({ type: 'dynamic', position: { x: b.x, y: b.y }, angle: b.angle });
  body.createFixture(fixture.shape, {
    density: fixture.density,
    friction: fixture.friction,
    restitution: 0.0,
    filterCategoryBits: fixture.category,
    filterMaskBits: 0x001, // collide only with the ground
    userData: fixture.index,
  });
  // Velocities after the fixture: adding mass moves the centre of mass, and Box2D would shift the velocity.
  body.setLinearVelocity({ x: b.vx, y: b.vy });
  body.setAngularVelocity(b.omega);
  return body;
}

function makeJoint(world: World, lander: Body, leg: Body, i: -1 | 1): Joint {
  return world.createJoint(
    new RevoluteJoint({
      bodyA: lander,
      bodyB: leg,
      localAnchorA: { x: 0, y: 0 },
      localAnchorB: { x: (i * LEG_AWAY) / SCALE, y: LEG_DOWN / SCALE },
      // planck would otherwise take the bodies' current relative angle; Box2D's default is 0.
      referenceAngle: 0,
      enableMotor: true,
      enableLimit: true,
      maxMotorTorque: LEG_SPRING_TORQUE,
      motorSpeed: +0.3 * i, // low enough not to jump back into the sky
      lowerAngle: i === -1 ? +0.9 - 0.5 : -0.9,
      upperAngle: i === -1 ? +0.9 : -0.9 + 0.5,
    }),
  )!;
}

/** Builds the world of a state; contacts, impulses and sleep timers are restored so the step continues as Box2D's would. */
function buildSim(s: LunarLanderState): Sim {
  const world = new World({ gravity: { x: 0, y: -10.0 } });
  const flags = { legContact: [s.legContact[0], s.legContact[1]] as [boolean, boolean], gameOver: s.gameOver, live: true };
  // Gymnasium's creation order: moon, lander, leg −1 + joint, leg +1 + joint.
  const moon = world.createBody();
  moon.createFixture(BASE_EDGE, { userData: FIX_BASE });
  for (let i = 0; i < CHUNKS - 1; i++) {
    const edge = new Edge({ x: CHUNK_X[i]!, y: s.terrain[i]! }, { x: CHUNK_X[i + 1]!, y: s.terrain[i + 1]! });
    moon.createFixture(edge, { density: 0, friction: 0.1, userData: FIX_TERRAIN + i });
  }
  const lander = makeBody(world, s.lander, { shape: LANDER_SHAPE, density: 5.0, friction: 0.1, category: 0x0010, index: FIX_LANDER });
  const legs: Body[] = [];
  const joints: Joint[] = [];
  ([-1, 1] as const).forEach((i, k) => {
    const leg = makeBody(world, s.legs[k]!, { shape: LEG_SHAPE, density: 1.0, friction: 0.2, category: 0x0020, index: FIX_LEG + k });
    const joint = makeJoint(world, lander, leg, i);
    const saved = s.joints[k]!;
    const ji = jointInternals(joint);
    ji.m_impulse.x = saved.impulse[0];
    ji.m_impulse.y = saved.impulse[1];
    ji.m_impulse.z = saved.impulse[2];
    ji.m_motorImpulse = saved.motorImpulse;
    ji.m_limitState = saved.limitState;
    legs.push(leg);
    joints.push(joint);
  });
  checkInternals(world, lander, joints[0]!);

  // Gymnasium's ContactDetector.
  const touchesLander = (c: Contact) => c.getFixtureA().getBody() === lander || c.getFixtureB().getBody() === lander;
  const legOf = (c: Contact, k: number) => c.getFixtureA().getBody() === legs[k] || c.getFixtureB().getBody() === legs[k];
  world.on('begin-contact', (c: Contact) => {
    if (!flags.live) return;
    if (touchesLander(c)) flags.gameOver = true;
    for (let k = 0; k < 2; k++) if (legOf(c, k)) flags.legContact[k] = true;
  });
  world.on('end-contact', (c: Contact) => {
    if (!flags.live) return;
    for (let k = 0; k < 2; k++) if (legOf(c, k)) flags.legContact[k] = false;
  });

  // Re-create the saved contacts in Box2D's list order (each new contact goes to the head of the list, so
  // oldest first), give the touching ones their manifold points and impulses back, then add the pairs the
  // fresh broad-phase finds besides. So the solver warm-starts, visits contacts in the same order, and
  // Begin/EndContact fire on the same changes, in the same order, as in a world that had kept running.
  const wi = world as unknown as WorldInternals;
  const fixtures: Fixture[] = [];
  for (let b = world.getBodyList(); b; b = b.getNext()) for (let f = b.getFixtureList(); f; f = f.getNext()) fixtures[fixtureIndex(f)] = f;
  const proxy = (f: Fixture) => (f as unknown as { m_proxies: unknown[] }).m_proxies[0];
  for (let k = s.contacts.length - 1; k >= 0; k--) {
    const { a, b } = s.contacts[k]!;
    const fa = fixtures[a];
    const fb = fixtures[b];
    if (fa && fb) wi.createContact(proxy(fa), proxy(fb)); // skipped by planck if the pair cannot collide
  }
  wi.findNewContacts();
  wi.m_newFixture = false;
  const savedTouching = new Map<string, LanderContact>();
  for (const c of s.contacts) if (c.points.length > 0) savedTouching.set(`${c.a}:${c.b}`, c);
  for (let c = world.getContactList(); c; c = c.getNext()) {
    const key = `${fixtureIndex(c.getFixtureA())}:${fixtureIndex(c.getFixtureB())}`;
    const saved = savedTouching.get(key);
    if (!saved) continue;
    const ci = contactInternals(c);
    ci.m_touchingFlag = true;
    ci.m_manifold.pointCount = saved.points.length;
    saved.points.forEach(([indexA, typeA, indexB, typeB, normal, tangent], p) => {
      const mp = ci.m_manifold.points[p]!;
      mp.id.indexA = indexA;
      mp.id.typeA = typeA;
      mp.id.indexB = indexB;
      mp.id.typeB = typeB;
      mp.id.key = indexA + indexB * 4 + typeA * 16 + typeB * 64; // planck's ContactID key
      mp.normalImpulse = normal;
      mp.tangentImpulse = tangent;
    });
  }
  // The previous step was 1/FPS long (Box2D scales warm-start impulses by dt / previous dt).
  wi.s_step.dt = DT;
  wi.s_step.inv_dt = FPS;
  // Sleep state last: creating bodies and contacts wakes them in planck.
  const bodies: [Body, LanderBody][] = [[lander, s.lander], [legs[0]!, s.legs[0]], [legs[1]!, s.legs[1]]];
  for (const [body, saved] of bodies) {
    const bi = bodyInternals(body);
    if (!saved.awake) body.setAwake(false);
    bi.m_awakeFlag = saved.awake;
    bi.m_sleepTime = saved.sleepTime;
  }
  return { world, lander, legs: legs as [Body, Body], joints: joints as [Joint, Joint], flags };
}

/**
 * Takes the world apart once its state is read: planck keeps tree nodes and contacts in global pools, and
 * returning them (with their references cleared) keeps old pooled objects from pointing into a dead world,
 * which would otherwise survive young-generation garbage collections.
 */
function disposeSim(sim: Sim): void {
  const { world } = sim;
  sim.flags.live = false; // destroying contacts reports EndContact; the state is already read
  for (let b = world.getBodyList(); b; ) {
    const next = b.getNext();
    world.destroyBody(b);
    b = next;
  }
}

function readBody(b: Body): LanderBody {
  const p = b.getPosition();
  const v = b.getLinearVelocity();
  const bi = bodyInternals(b);
  return { x: p.x, y: p.y, angle: b.getAngle(), vx: v.x, vy: v.y, omega: b.getAngularVelocity(), sleepTime: bi.m_sleepTime, awake: bi.m_awakeFlag };
}

function readJoint(j: Joint): LanderJoint {
  const ji = jointInternals(j);
  return { impulse: [ji.m_impulse.x, ji.m_impulse.y, ji.m_impulse.z], motorImpulse: ji.m_motorImpulse, limitState: ji.m_limitState };
}

function readContacts(world: World): LanderContact[] {
  const out: LanderContact[] = [];
  for (let c = world.getContactList(); c; c = c.getNext()) {
    const ci = contactInternals(c);
    const points: LanderContactPoint[] = [];
    for (let p = 0; p < ci.m_manifold.pointCount; p++) {
      const mp = ci.m_manifold.points[p]!;
      points.push([mp.id.indexA, mp.id.typeA, mp.id.indexB, mp.id.typeB, mp.normalImpulse, mp.tangentImpulse]);
    }
    out.push({ a: fixtureIndex(c.getFixtureA()), b: fixtureIndex(c.getFixtureB()), points });
  }
  return out;
}

/** Gymnasium's 8 observation values in float64 (the observation is their float32 copy). */
function observation64(s: LunarLanderState): [number, number, number, number, number, number, number, number] {
  const { lander } = s;
  return [
    (lander.x - VIEWPORT_W / SCALE / 2) / (VIEWPORT_W / SCALE / 2),
    (lander.y - (HELIPAD_Y + LEG_DOWN / SCALE)) / (VIEWPORT_H / SCALE / 2),
    (lander.vx * (VIEWPORT_W / SCALE / 2)) / FPS,
    (lander.vy * (VIEWPORT_H / SCALE / 2)) / FPS,
    lander.angle,
    (20.0 * lander.omega) / FPS,
    s.legContact[0] ? 1.0 : 0.0,
    s.legContact[1] ? 1.0 : 0.0,
  ];
}

function shaping(o: readonly number[]): number {
  const [x, y, vx, vy, angle, , l0, l1] = o as [number, number, number, number, number, number, number, number];
  return -100 * Math.sqrt(x * x + y * y) - 100 * Math.sqrt(vx * vx + vy * vy) - 100 * Math.abs(angle) + 10 * l0 + 10 * l1;
}

/** Gymnasium's step on a built world: engines, one Box2D step, reward. Returns the new state. */
function advance(sim: Sim, s: LunarLanderState, action: number): { state: LunarLanderState; reward: number; terminated: boolean } {
  const { lander, world } = sim;
  const rng = { a: s.rng };
  const angle = lander.getAngle();
  const tip = [Math.sin(angle), Math.cos(angle)] as const;
  const side = [-tip[1], tip[0]] as const;
  const dispersion = [(-1.0 + 2.0 * mulberry32Draw(rng)) / SCALE, (-1.0 + 2.0 * mulberry32Draw(rng)) / SCALE] as const;
  const pos = lander.getPosition();

  let mPower = 0.0;
  if (action === 2) {
    mPower = 1.0;
    const ox = tip[0] * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion[0]) + side[0] * dispersion[1];
    const oy = -tip[1] * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion[0]) - side[1] * dispersion[1];
    const impulsePos = { x: pos.x + ox, y: pos.y + oy };
    lander.applyLinearImpulse({ x: -ox * MAIN_ENGINE_POWER * mPower, y: -oy * MAIN_ENGINE_POWER * mPower }, impulsePos, true);
  }
  let sPower = 0.0;
  if (action === 1 || action === 3) {
    const direction = action - 2; // 1 fires the left engine, 3 the right one
    sPower = 1.0;
    const ox = tip[0] * dispersion[0] + side[0] * (3 * dispersion[1] + (direction * SIDE_ENGINE_AWAY) / SCALE);
    const oy = -tip[1] * dispersion[0] - side[1] * (3 * dispersion[1] + (direction * SIDE_ENGINE_AWAY) / SCALE);
    // Gymnasium uses 17 here where SIDE_ENGINE_HEIGHT (14) is presumably meant: an orientation-dependent torque.
    const impulsePos = { x: pos.x + ox - (tip[0] * 17) / SCALE, y: pos.y + oy + (tip[1] * SIDE_ENGINE_HEIGHT) / SCALE };
    lander.applyLinearImpulse({ x: -ox * SIDE_ENGINE_POWER * sPower, y: -oy * SIDE_ENGINE_POWER * sPower }, impulsePos, true);
  }

  world.step(DT, VELOCITY_ITERATIONS, POSITION_ITERATIONS);

  const next: LunarLanderState = {
    t: s.t + 1,
    rng: rng.a,
    terrain: s.terrain,
    lander: readBody(lander),
    legs: [readBody(sim.legs[0]), readBody(sim.legs[1])],
    legContact: [sim.flags.legContact[0], sim.flags.legContact[1]],
    gameOver: sim.flags.gameOver,
    prevShaping: 0,
    joints: [readJoint(sim.joints[0]), readJoint(sim.joints[1])],
    contacts: readContacts(world),
  };
  const o = observation64(next);
  next.prevShaping = shaping(o);
  let reward = next.prevShaping - s.prevShaping;
  reward -= mPower * 0.3; // less fuel spent is better, about −30 for a heuristic landing
  reward -= sPower * 0.03;
  let terminated = false;
  if (next.gameOver || Math.abs(o[0]) >= 1.0) {
    terminated = true;
    reward = -100;
  }
  if (!next.lander.awake) {
    terminated = true;
    reward = +100;
  }
  return { state: next, reward, terminated };
}

/** Gymnasium's reset: random terrain and initial push, then one step with action 0 (its observation is the start). */
export function lunarLanderReset(seed: number): LunarLanderState {
  if (!Number.isInteger(seed)) throw new EnvInputError(`LunarLander-v3: seed must be an integer, got ${seed}`);
  const rng = { a: seed >>> 0 };
  const height = Array.from({ length: CHUNKS + 1 }, () => (H / 2) * mulberry32Draw(rng));
  const mid = Math.floor(CHUNKS / 2);
  for (let k = mid - 2; k <= mid + 2; k++) height[k] = HELIPAD_Y;
  // Python's height[i - 1] at i = 0 is the last element.
  const at = (i: number) => height[(i + height.length) % height.length]!;
  const terrain = Array.from({ length: CHUNKS }, (_, i) => 0.33 * (at(i - 1) + at(i) + at(i + 1)));
  const force = { x: -INITIAL_RANDOM + 2 * INITIAL_RANDOM * mulberry32Draw(rng), y: -INITIAL_RANDOM + 2 * INITIAL_RANDOM * mulberry32Draw(rng) };

  const initialX = VIEWPORT_W / SCALE / 2;
  const initialY = VIEWPORT_H / SCALE;
  const body = (x: number, angle: number): LanderBody => ({ x, y: initialY, angle, vx: 0, vy: 0, omega: 0, sleepTime: 0, awake: true });
  const joint = (): LanderJoint => ({ impulse: [0, 0, 0], motorImpulse: 0, limitState: 0 });
  const start: LunarLanderState = {
    t: 0,
    rng: rng.a,
    terrain,
    lander: body(initialX, 0.0),
    legs: [body(initialX - (-1 * LEG_AWAY) / SCALE, -1 * 0.05), body(initialX - (1 * LEG_AWAY) / SCALE, 1 * 0.05)],
    legContact: [false, false],
    gameOver: false,
    prevShaping: 0,
    joints: [joint(), joint()],
    contacts: [],
  };
  const sim = buildSim(start);
  // A fresh Box2D world has no previous step (its first warm start is scaled by 0); nothing touches yet anyway.
  (sim.world as unknown as WorldInternals).s_step.dt = 0;
  sim.lander.applyForceToCenter(force, true);
  const { state } = advance(sim, start, 0);
  state.t = 0;
  return state;
}

// ---------------------------------------------------------------------------------------------------------
// Validation of untrusted states.

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, expected: string, got: unknown): never {
  const found = Array.isArray(got) ? `an array of ${got.length}` : got === null ? 'null' : typeof got === 'number' ? String(got) : typeof got;
  throw new EnvInputError(`LunarLander-v3: state.${path} must be ${expected}, got ${found}`);
}

function num(o: Record<string, unknown>, key: string, path: string): number {
  const v = o[key];
  if (!isNum(v)) fail(`${path}${key}`, 'a finite number', v);
  return v;
}

function bool(o: Record<string, unknown>, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}${key}`, 'a boolean', v);
  return v;
}

function numbers(v: unknown, n: number, path: string): number[] {
  if (!Array.isArray(v) || v.length !== n) fail(path, `an array of ${n} finite numbers`, v);
  v.forEach((x, i) => {
    if (!isNum(x)) fail(`${path}[${i}]`, 'a finite number', x);
  });
  return v as number[];
}

function parseBody(v: unknown, path: string): LanderBody {
  if (!isObj(v)) fail(path, 'an object {x, y, angle, vx, vy, omega, sleepTime, awake}', v);
  const p = `${path}.`;
  return {
    x: num(v, 'x', p),
    y: num(v, 'y', p),
    angle: num(v, 'angle', p),
    vx: num(v, 'vx', p),
    vy: num(v, 'vy', p),
    omega: num(v, 'omega', p),
    sleepTime: num(v, 'sleepTime', p),
    awake: bool(v, 'awake', p),
  };
}

function parseJoint(v: unknown, path: string): LanderJoint {
  if (!isObj(v)) fail(path, 'an object {impulse, motorImpulse, limitState}', v);
  const limitState = num(v, 'limitState', `${path}.`);
  if (!Number.isInteger(limitState) || limitState < 0 || limitState > 3) fail(`${path}.limitState`, 'an integer in 0..3', limitState);
  return { impulse: numbers(v.impulse, 3, `${path}.impulse`) as [number, number, number], motorImpulse: num(v, 'motorImpulse', `${path}.`), limitState };
}

function parseContact(v: unknown, path: string): LanderContact {
  if (!isObj(v)) fail(path, 'an object {a, b, points}', v);
  const fixture = (key: 'a' | 'b') => {
    const f = num(v, key, `${path}.`);
    if (!Number.isInteger(f) || f < 0 || f > FIX_LEG + 1) fail(`${path}.${key}`, `a fixture index in 0..${FIX_LEG + 1}`, f);
    return f;
  };
  const a = fixture('a');
  const b = fixture('b');
  const pts = v.points;
  if (!Array.isArray(pts) || pts.length > 2) fail(`${path}.points`, 'an array of at most 2 [indexA, typeA, indexB, typeB, normalImpulse, tangentImpulse]', pts);
  const points = pts.map((p, i) => {
    const q = numbers(p, 6, `${path}.points[${i}]`);
    for (let k = 0; k < 4; k++) if (!Number.isInteger(q[k]) || q[k]! < -1 || q[k]! > 255) fail(`${path}.points[${i}][${k}]`, 'a contact feature (integer in −1..255)', q[k]);
    return q as LanderContactPoint;
  });
  return { a, b, points };
}

/** Checks an untrusted value is a LunarLander state; returns a clean copy. */
export function parseLunarLanderState(value: unknown): LunarLanderState {
  if (!isObj(value)) fail('', 'an object (t, rng, terrain, lander, legs, legContact, gameOver, prevShaping, joints, contacts)', value);
  const t = num(value, 't', '');
  if (!Number.isInteger(t) || t < 0) fail('t', 'a non-negative integer', t);
  const rng = num(value, 'rng', '');
  if (!Number.isInteger(rng) || rng < 0 || rng > 0xffffffff) fail('rng', 'a 32-bit unsigned integer', rng);
  const legs = value.legs;
  if (!Array.isArray(legs) || legs.length !== 2) fail('legs', 'an array of 2 bodies', legs);
  const legContact = value.legContact;
  if (!Array.isArray(legContact) || legContact.length !== 2 || legContact.some((c) => typeof c !== 'boolean')) fail('legContact', 'an array of 2 booleans', legContact);
  const joints = value.joints;
  if (!Array.isArray(joints) || joints.length !== 2) fail('joints', 'an array of 2 joints', joints);
  const contacts = value.contacts;
  if (!Array.isArray(contacts) || contacts.length > 64) fail('contacts', 'an array (at most 64)', contacts);
  return {
    t,
    rng,
    terrain: [...numbers(value.terrain, CHUNKS, 'terrain')],
    lander: parseBody(value.lander, 'lander'),
    legs: [parseBody(legs[0], 'legs[0]'), parseBody(legs[1], 'legs[1]')],
    legContact: [legContact[0] as boolean, legContact[1] as boolean],
    gameOver: bool(value, 'gameOver', ''),
    prevShaping: num(value, 'prevShaping', ''),
    joints: [parseJoint(joints[0], 'joints[0]'), parseJoint(joints[1], 'joints[1]')],
    contacts: contacts.map((c, i) => parseContact(c, `contacts[${i}]`)),
  };
}


// ---------------------------------------------------------------------------------------------------------
// Rendering.

function renderLander(ctx: Ctx2D, s: LunarLanderState, options?: RenderOptions): void {
  const { w, h, u } = clear(ctx, '#0f172a'); // Gymnasium draws the sky black and the moon white
  // The viewport (W × H) plus a little headroom: the lander starts at the top edge.
  const viewH = H * 1.12;
  const k = Math.min(w / W, h / viewH);
  const ox = (w - W * k) / 2;
  const oy = (h + viewH * k) / 2;
  const X = (x: number) => ox + x * k;
  const Y = (y: number) => oy - y * k;
  ctx.fillStyle = '#f1f5f9';
  ctx.beginPath();
  ctx.moveTo(0, h);
  ctx.lineTo(0, Y(s.terrain[0]!));
  for (let i = 0; i < CHUNKS; i++) ctx.lineTo(X(CHUNK_X[i]!), Y(s.terrain[i]!));
  ctx.lineTo(w, Y(s.terrain[CHUNKS - 1]!));
  ctx.lineTo(w, h);
  ctx.closePath();
  ctx.fill();
  // Helipad flags.
  for (const x of [HELIPAD_X1, HELIPAD_X2]) {
    const y0 = HELIPAD_Y;
    const y1 = y0 + 50 / SCALE;
    ctx.strokeStyle = '#cbd5e1';
    ctx.lineWidth = Math.max(1, u);
    ctx.beginPath();
    ctx.moveTo(X(x), Y(y0));
    ctx.lineTo(X(x), Y(y1));
    ctx.stroke();
    ctx.fillStyle = '#eab308';
    ctx.beginPath();
    ctx.moveTo(X(x), Y(y1));
    ctx.lineTo(X(x), Y(y1 - 10 / SCALE));
    ctx.lineTo(X(x + 25 / SCALE), Y(y1 - 5 / SCALE));
    ctx.closePath();
    ctx.fill();
  }
  /** Body-local points (m) → screen path. */
  const path = (b: LanderBody, pts: readonly (readonly [number, number])[]) => {
    const c = Math.cos(b.angle);
    const sn = Math.sin(b.angle);
    ctx.beginPath();
    pts.forEach(([px, py], i) => {
      const x = X(b.x + c * px - sn * py);
      const y = Y(b.y + sn * px + c * py);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.closePath();
  };
  const outlined = (b: LanderBody, pts: readonly (readonly [number, number])[], fill: string) => {
    path(b, pts);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = '#4d4d80';
    ctx.lineWidth = Math.max(1, u);
    ctx.stroke();
  };
  // Engine flames for the action overlay (main: below the hull; side engines: beside it).
  const a = options?.action;
  if (typeof a === 'number' && a > 0) {
    const flame: [number, number][] =
      a === 2
        ? [[-7 / SCALE, -10 / SCALE], [7 / SCALE, -10 / SCALE], [0, -36 / SCALE]]
        : a === 1 // the left engine pushes the hull to the right
          ? [[-17 / SCALE, 9 / SCALE], [-17 / SCALE, 1 / SCALE], [-38 / SCALE, 5 / SCALE]]
          : [[17 / SCALE, 9 / SCALE], [17 / SCALE, 1 / SCALE], [38 / SCALE, 5 / SCALE]];
    path(s.lander, flame);
    ctx.fillStyle = options?.actionColor ?? '#f97316';
    ctx.fill();
  }
  const legBox: [number, number][] = [[-LEG_W / SCALE, -LEG_H / SCALE], [LEG_W / SCALE, -LEG_H / SCALE], [LEG_W / SCALE, LEG_H / SCALE], [-LEG_W / SCALE, LEG_H / SCALE]];
  s.legs.forEach((leg, i) => outlined(leg, legBox, s.legContact[i] ? '#22c55e' : '#8066e6'));
  outlined(s.lander, LANDER_POLY.map(([x, y]) => [x / SCALE, y / SCALE] as const), s.gameOver ? '#dc2626' : '#8066e6');
  const o = observation64(s);
  ctx.fillStyle = '#e2e8f0';
  ctx.font = `${Math.max(10, Math.round(h / 30))}px sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(`x ${o[0].toFixed(2)}  y ${o[1].toFixed(2)}  t ${s.t}`, w - 8, 6);
  caption(ctx, options, undefined, '#e2e8f0');
}

// ---------------------------------------------------------------------------------------------------------

const actionSpace: DiscreteSpace = {
  kind: 'discrete',
  n: 4,
  names: ['do nothing', 'fire left engine', 'fire main engine', 'fire right engine'],
  keys: ['ArrowDown', 'ArrowLeft', 'ArrowUp', 'ArrowRight'],
};

const f32 = Math.fround;

export const LunarLander: Env<LunarLanderState> = {
  id: 'LunarLander-v3',
  observationSpace: {
    kind: 'box',
    size: 8,
    low: [-2.5, -2.5, -10, -10, f32(-2 * Math.PI), -10, 0, 0],
    high: [2.5, 2.5, 10, 10, f32(2 * Math.PI), 10, 1, 1],
    names: ['x', 'y', 'vx', 'vy', 'angle', 'angular velocity', 'leg 1 contact', 'leg 2 contact'],
  },
  actionSpace,
  horizon: 1000,
  rewardThreshold: 200,
  dt: DT,
  reset: lunarLanderReset,
  step(state, action: Action) {
    const a = checkDiscrete('LunarLander-v3', actionSpace, action);
    const s = parseLunarLanderState(state); // a few µs against ~100 µs of physics: always checked
    const sim = buildSim(s);
    const r = advance(sim, s, a);
    disposeSim(sim);
    return { state: r.state, reward: r.reward, terminated: r.terminated, truncated: false };
  },
  observe(state) {
    return Float32Array.from(observation64(state));
  },
  observeInto(state, out, o) {
    out.set(observation64(state), o);
  },
  expert(state) {
    return lunarLanderHeuristic(LunarLander.observe(state)); // Gymnasium feeds it the float32 observation
  },
  success: (ep) => ep.return >= 200,
  parseState: parseLunarLanderState,
  render: renderLander,
};

/** For tests: build a world from a state, and take Gymnasium's step on a world (to compare with continuing one world). */
export const lunarLanderInternals = { buildSim, advance };

/** Gymnasium's `heuristic` controller (discrete), a pure function of the observation. */
export function lunarLanderHeuristic(s: ArrayLike<number>): number {
  let angleTarg = s[0]! * 0.5 + s[2]! * 1.0; // angle should point towards the centre
  if (angleTarg > 0.4) angleTarg = 0.4; // more than 0.4 rad (22°) is bad
  if (angleTarg < -0.4) angleTarg = -0.4;
  const hoverTarg = 0.55 * Math.abs(s[0]!); // target y proportional to the horizontal offset
  let angleTodo = (angleTarg - s[4]!) * 0.5 - s[5]! * 1.0;
  let hoverTodo = (hoverTarg - s[1]!) * 0.5 - s[3]! * 0.5;
  if (s[6] || s[7]) {
    // legs have contact: only slow the fall
    angleTodo = 0;
    hoverTodo = -s[3]! * 0.5;
  }
  if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05) return 2;
  if (angleTodo < -0.05) return 3;
  if (angleTodo > +0.05) return 1;
  return 0;
}
