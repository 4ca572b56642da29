import { describe, expect, it } from 'vitest';
import { canTrain, daggerConfigSchema, IllegalTransition, transition, type RoundState } from './round';

const start: RoundState = { phase: 'rollout', failedPhase: null, closedEarly: false, error: null };

describe('round state machine', () => {
  it('walks the happy path', () => {
    let r = transition(start, { type: 'rollout_done' });
    r = transition(r, { type: 'all_labeled' });
    r = transition(r, { type: 'training_done' });
    r = transition(r, { type: 'evaluation_done' });
    expect(r.phase).toBe('done');
  });
  it('closes early and resumes the failed phase', () => {
    const training = transition(transition(start, { type: 'rollout_done' }), { type: 'close_early' });
    expect(training).toMatchObject({ phase: 'training', closedEarly: true });
    const failed = transition(training, { type: 'phase_failed', error: 'out of memory' });
    expect(failed).toMatchObject({ phase: 'failed', failedPhase: 'training', error: 'out of memory' });
    expect(transition(failed, { type: 'resume' })).toMatchObject({ phase: 'training', error: null });
  });
  it('refuses illegal events with a message naming phase and event', () => {
    expect(() => transition(start, { type: 'training_done' })).toThrow(IllegalTransition);
    expect(() => transition(start, { type: 'training_done' })).toThrow(/phase "rollout" cannot take the event "training_done"/);
  });
  it('refuses to train on zero new labels', () => {
    expect(canTrain(2, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/no new labels/) });
    expect(canTrain(0, 0)).toMatchObject({ ok: false });
    expect(canTrain(1, 5)).toEqual({ ok: true });
  });
  it('fills documented defaults', () => {
    const c = daggerConfigSchema.parse({});
    expect(c).toMatchObject({ seed: 0, autoDeploy: true, selection: { strategy: 'first', k: 100 }, beta: { kind: 'constant', beta: 0 } });
  });
});
