import { describe, expect, it } from 'vitest';
import { LunarLander, lunarLanderHeuristic, lunarLanderInternals, type LunarLanderState } from './lunar-lander';
import { mulberry32 } from './random';
import { EnvInputError } from './types';

const env = LunarLander;
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** An expert episode with some random actions mixed in (so engines, contacts and landing all occur). */
function episode(seed: number, randomFraction = 0.2): { states: LunarLanderState[]; actions: number[] } {
  const r = mulberry32(seed + 1000);
  const states = [env.reset(seed)];
  const actions: number[] = [];
  for (let t = 0; t < env.horizon; t++) {
    const s = states[states.length - 1]!;
    const a = r() < randomFraction ? Math.floor(r() * 4) : (env.expert(s) as number);
    const step = env.step(s, a);
    actions.push(a);
    states.push(step.state);
    if (step.terminated) break;
  }
  return { states, actions };
}

describe('LunarLander-v3', () => {
  it('resets like Gymnasium: lander top centre, flat helipad, one step taken', () => {
    const s = env.reset(11);
    expect(env.reset(11)).toEqual(s);
    expect(env.reset(12).terrain).not.toEqual(s.terrain);
    expect(s.t).toBe(0);
    expect(s.terrain).toHaveLength(11);
    // Chunks 4..6 average three helipad heights (0.33 · 3 · H/4 = 3.3).
    for (const k of [4, 5, 6]) expect(s.terrain[k]).toBeCloseTo(3.3, 12);
    const o = env.observe(s);
    expect(o).toHaveLength(8);
    expect(Math.abs(o[0]!)).toBeLessThan(0.05); // x: centred, one step of drift
    expect(o[1]).toBeGreaterThan(1.3); // y: (H − (H/4 + 18/30)) / (H/2) ≈ 1.41
    expect(o[1]).toBeLessThan(1.5);
    expect([o[6], o[7]]).toEqual([0, 0]);
    // legs[0] (Gymnasium's i = −1 leg) hangs on the +x side.
    expect(s.legs[0].x).toBeGreaterThan(s.lander.x);
    expect(s.legs[1].x).toBeLessThan(s.lander.x);
  });

  it('has JSON states, and stepping is a pure function of the JSON', () => {
    const { states, actions } = episode(3);
    expect(states.length).toBeGreaterThan(50);
    let contacts = 0;
    states.slice(0, -1).forEach((s, t) => {
      const json = copy(s);
      expect(json).toEqual(s); // nothing lost: no NaN, Infinity, undefined or class instances
      const a = env.step(s, actions[t]!);
      const b = env.step(json, actions[t]!);
      const c = env.step(s, actions[t]!);
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(a.state).toEqual(states[t + 1]);
      contacts += s.contacts.filter((k) => k.points.length > 0).length;
    });
    expect(contacts, 'the episode touches the ground').toBeGreaterThan(0);
  });

  it('a world rebuilt from the JSON steps like one that kept running (warm start, sleep, contact order)', () => {
    let worst = 0;
    let steps = 0;
    for (const seed of [0, 1, 4, 6, 18]) {
      let s = env.reset(seed);
      const live = lunarLanderInternals.buildSim(s);
      for (let t = 0; t < env.horizon; t++) {
        const a = env.expert(s) as number;
        const rebuilt = env.step(s, a);
        const kept = lunarLanderInternals.advance(live, s, a);
        const p = kept.state.lander;
        const q = rebuilt.state.lander;
        worst = Math.max(worst, Math.abs(p.x - q.x), Math.abs(p.y - q.y), Math.abs(p.vx - q.vx), Math.abs(p.vy - q.vy), Math.abs(p.angle - q.angle), Math.abs(p.omega - q.omega));
        expect(rebuilt.state.legContact, `seed ${seed} step ${t}`).toEqual(kept.state.legContact);
        expect(rebuilt.terminated).toBe(kept.terminated);
        expect(rebuilt.reward).toBeCloseTo(kept.reward, 9);
        s = kept.state;
        steps++;
        if (kept.terminated) break;
      }
    }
    expect(steps).toBeGreaterThan(500);
    // Only the round trip of the centre of mass through the body origin differs (≈ 1 ulp).
    expect(worst).toBeLessThan(1e-12);
  });

  it('lands: the expert episode ends when the lander sleeps, with +100', () => {
    const { states, actions } = episode(5, 0);
    const last = states[states.length - 1]!;
    const final = env.step(states[states.length - 2]!, actions[actions.length - 1]!);
    expect(final.terminated).toBe(true);
    expect(final.reward).toBe(100);
    expect(last.lander.awake).toBe(false);
    expect(last.legContact).toEqual([true, true]);
    expect(last.joints.some((j) => j.motorImpulse !== 0)).toBe(true);
  });

  it('crashes with −100 when the hull touches the ground', () => {
    let s = env.reset(2);
    let r;
    // Fire only the left engine: the lander spins and falls.
    for (let t = 0; t < env.horizon; t++) {
      r = env.step(s, 1);
      s = r.state;
      if (r.terminated) break;
    }
    expect(r!.terminated).toBe(true);
    expect(r!.reward).toBe(-100);
    expect(s.gameOver || Math.abs(env.observe(s)[0]!) >= 1).toBe(true);
  });

  it('terminates with −100 outside the viewport', () => {
    const s = copy(env.reset(4));
    s.lander.x = 0.05; // observation x = −0.995, moving left 0.1 m per step
    s.lander.vx = -5;
    s.legs.forEach((l) => {
      l.x -= 9.95;
      l.vx = -5;
    });
    const r = env.step(s, 0);
    expect(env.observe(r.state)[0]).toBeLessThanOrEqual(-1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(-100);
  });

  it('rewards follow Gymnasium: shaping difference minus fuel', () => {
    const s = env.reset(8);
    const shaping = (st: LunarLanderState) => {
      const x = (st.lander.x - 10) / 10;
      const y = (st.lander.y - (400 / 30 / 4 + 18 / 30)) / (400 / 30 / 2);
      const vx = (st.lander.vx * 10) / 50;
      const vy = (st.lander.vy * (400 / 30 / 2)) / 50;
      return -100 * Math.hypot(x, y) - 100 * Math.hypot(vx, vy) - 100 * Math.abs(st.lander.angle) + 10 * +st.legContact[0] + 10 * +st.legContact[1];
    };
    for (const a of [0, 1, 2, 3]) {
      const r = env.step(s, a);
      const fuel = a === 2 ? 0.3 : a === 0 ? 0 : 0.03;
      expect(r.reward).toBeCloseTo(shaping(r.state) - shaping(s) - fuel, 9);
      expect(r.state.prevShaping).toBeCloseTo(shaping(r.state), 9);
    }
  });

  it('finds the planck 1.5.0 internals it restores (warm start, sleep, contacts)', () => {
    const { states } = episode(5, 0);
    const touching = states.find((s) => s.contacts.some((c) => c.points.length > 0))!;
    const sim = lunarLanderInternals.buildSim(touching) as unknown as { world: Record<string, unknown>; lander: Record<string, unknown>; joints: Record<string, unknown>[] };
    expect(typeof sim.world.findNewContacts).toBe('function');
    expect(typeof sim.world.createContact).toBe('function');
    expect(typeof sim.lander.m_sleepTime).toBe('number');
    expect(typeof sim.joints[0]!.m_motorImpulse).toBe('number');
    const contact = (sim.world as unknown as { getContactList(): { m_touchingFlag: boolean; m_manifold: { pointCount: number } } | null }).getContactList();
    expect(contact).not.toBeNull();
    // The touching contacts come back touching, with their points.
    const restored: number[] = [];
    for (let c = contact as unknown as { m_touchingFlag: boolean; m_manifold: { pointCount: number }; getNext(): unknown } | null; c; c = c.getNext() as typeof c) if (c.m_touchingFlag) restored.push(c.m_manifold.pointCount);
    expect(restored.sort()).toEqual(touching.contacts.filter((c) => c.points.length > 0).map((c) => c.points.length).sort());
  });

  it("uses Gymnasium's heuristic as expert", () => {
    expect(lunarLanderHeuristic([0, 1.4, 0, 0, 0, 0, 0, 0])).toBe(0); // high and still: fall
    expect(lunarLanderHeuristic([0, 0.2, 0, -0.5, 0, 0, 0, 0])).toBe(2); // low and falling fast: main engine
    expect(lunarLanderHeuristic([0, 1.4, 0, 0, 0.3, 0, 0, 0])).toBe(3); // tilted left (+angle): right engine
    expect(lunarLanderHeuristic([0, 1.4, 0, 0, -0.3, 0, 0, 0])).toBe(1);
    expect(lunarLanderHeuristic([0, 0.0, 0, -0.2, 0.3, 0, 1, 0])).toBe(2); // legs down: only slow the fall
    expect(lunarLanderHeuristic([0, 0.0, 0, 0, 0.3, 0, 0, 1])).toBe(0);
  });

  it('refuses malformed states and actions with messages that name the field', () => {
    const s = env.reset(0);
    expect(() => env.step(s, 4)).toThrow(EnvInputError);
    expect(() => env.step(s, 1.5)).toThrow(/integer in 0\.\.3/);
    const bad = (edit: (x: Record<string, unknown>) => void, message: RegExp) => {
      const x = copy(s) as unknown as Record<string, unknown>;
      edit(x);
      expect(() => env.step(x as never, 0)).toThrow(message);
      expect(() => env.parseState(x)).toThrow(EnvInputError);
    };
    bad((x) => ((x.lander as Record<string, unknown>).x = Number.NaN), /state\.lander\.x must be a finite number, got NaN/);
    bad((x) => delete (x.lander as Record<string, unknown>).vy, /state\.lander\.vy must be a finite number, got undefined/);
    bad((x) => (x.terrain = [1, 2, 3]), /state\.terrain must be an array of 11 finite numbers, got an array of 3/);
    bad((x) => (x.legs = [x.lander]), /state\.legs must be an array of 2 bodies/);
    bad((x) => (x.rng = -1), /state\.rng must be a 32-bit unsigned integer/);
    bad((x) => (x.legContact = [1, 0]), /state\.legContact must be an array of 2 booleans/);
    bad((x) => (x.contacts = [{ a: 99, b: 12, points: [] }]), /state\.contacts\[0\]\.a must be a fixture index/);
    expect(() => env.parseState([1, 2, 3])).toThrow(/must be an object/);
    expect(() => env.reset(0.5)).toThrow(EnvInputError);
    // A valid JSON copy parses back to an equal state.
    expect(env.parseState(copy(s))).toEqual(s);
  });
});
