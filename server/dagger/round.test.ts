import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import {
  assertCanTrain,
  canTrain,
  daggerConfigSchema,
  IllegalTransition,
  initialRound,
  NothingToTrain,
  PHASES,
  transition,
  type RoundEvent,
  type RoundState,
} from './round';

const start = initialRound(1);
const EVENTS: RoundEvent[] = [
  { type: 'rollout_done' },
  { type: 'all_labeled' },
  { type: 'close_early' },
  { type: 'training_done' },
  { type: 'evaluation_done' },
  { type: 'phase_failed', error: 'boom' },
  { type: 'resume' },
];

describe('round state machine', () => {
  it('starts round 0 (and external rounds) in labeling, later rounds in rollout', () => {
    expect(initialRound(0)).toEqual({ phase: 'labeling', failedPhase: null, closedEarly: false, error: null });
    expect(initialRound(3).phase).toBe('rollout');
    expect(initialRound(3, { external: true }).phase).toBe('labeling');
    expect(() => initialRound(-1)).toThrow(/non-negative integer/);
  });

  it('walks the happy path', () => {
    let r = transition(start, { type: 'rollout_done' });
    expect(r.phase).toBe('labeling');
    r = transition(r, { type: 'all_labeled' });
    r = transition(r, { type: 'training_done' });
    r = transition(r, { type: 'evaluation_done' });
    expect(r).toEqual({ phase: 'done', failedPhase: null, closedEarly: false, error: null });
  });

  it('closes early and resumes the failed phase', () => {
    const training = transition(transition(start, { type: 'rollout_done' }), { type: 'close_early' });
    expect(training).toMatchObject({ phase: 'training', closedEarly: true });
    const failed = transition(training, { type: 'phase_failed', phase: 'training', error: 'out of memory' });
    expect(failed).toMatchObject({ phase: 'failed', failedPhase: 'training', error: 'out of memory', closedEarly: true });
    const resumed = transition(failed, { type: 'resume' });
    expect(resumed).toEqual({ phase: 'training', failedPhase: null, closedEarly: true, error: null });
    expect(transition(transition(resumed, { type: 'training_done' }), { type: 'evaluation_done' }).closedEarly).toBe(true);
  });

  it('does not let a stale failure from another phase fail the round', () => {
    const evaluating: RoundState = { ...start, phase: 'evaluating' };
    expect(() => transition(evaluating, { type: 'phase_failed', phase: 'training', error: 'late' })).toThrow(/failure is from phase "training"/);
    expect(() => transition({ ...start, phase: 'labeling' }, { type: 'phase_failed', error: 'x' })).toThrow(/only rollout, training and evaluating/);
  });

  it('refuses illegal events with a message naming phase and event', () => {
    expect(() => transition(start, { type: 'training_done' })).toThrow(IllegalTransition);
    expect(() => transition(start, { type: 'training_done' })).toThrow(/phase "rollout" cannot take the event "training_done"/);
    expect(() => transition({ ...start, phase: 'failed' }, { type: 'resume' })).toThrow(IllegalTransition);
    try {
      transition({ ...start, phase: 'done' }, { type: 'close_early' });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ phase: 'done', event: 'close_early' });
    }
  });

  it('only ever reaches valid states, whatever events arrive (seeded random walk)', () => {
    const rng = createRng(99);
    let r: RoundState = start;
    let moves = 0;
    for (let i = 0; i < 5000; i++) {
      const e = EVENTS[rng.int(EVENTS.length)]!;
      try {
        r = transition(r, e);
        moves++;
      } catch (err) {
        expect(err).toBeInstanceOf(IllegalTransition);
      }
      expect(PHASES).toContain(r.phase);
      // failedPhase and error are set exactly while failed.
      expect(r.failedPhase !== null).toBe(r.phase === 'failed');
      expect(r.error !== null).toBe(r.phase === 'failed');
      if (r.phase === 'done') r = start;
    }
    expect(moves).toBeGreaterThan(500);
  });

  it('refuses to train on zero new labels', () => {
    expect(canTrain(2, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/Round 2 has no new labels/) });
    expect(canTrain(0, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/no demonstrations/) });
    expect(canTrain(1, 5)).toEqual({ ok: true });
    expect(() => assertCanTrain(3, 0)).toThrow(NothingToTrain);
    expect(() => assertCanTrain(3, 1)).not.toThrow();
  });
});

describe('DaggerConfig', () => {
  it('fills documented defaults', () => {
    const c = daggerConfigSchema.parse({});
    expect(c).toEqual({
      seed: 0,
      policy: { kind: 'categorical', hidden: [64, 64], epochs: 60, ensemble: 1 },
      selection: { strategy: 'first', k: 100 },
      beta: { kind: 'constant', beta: 0 },
      aggregation: { labelsPerState: 1, maxLabelsPerState: 3, minAgreement: 0.6 },
      rolloutEpisodes: 1,
      evaluation: { episodes: 20, seed: 1_000_000 },
      autoDeploy: true,
    });
    // The default objects are valid configs in their own right.
    expect(daggerConfigSchema.parse(c)).toEqual(c);
  });

  it('passes unknown policy keys through and rejects bad values', () => {
    expect(daggerConfigSchema.parse({ policy: { kind: 'gaussian', lr: 3e-4 } }).policy).toMatchObject({ kind: 'gaussian', lr: 3e-4, hidden: [64, 64] });
    expect(daggerConfigSchema.safeParse({ beta: { kind: 'exponential', p: 2 } }).success).toBe(false);
    expect(daggerConfigSchema.safeParse({ aggregation: { labelsPerState: 4, maxLabelsPerState: 2 } }).success).toBe(false);
    expect(daggerConfigSchema.safeParse({ seed: -1 }).success).toBe(false);
    expect(daggerConfigSchema.safeParse({ selection: { strategy: 'stride', k: 0 } }).success).toBe(false);
  });
});
