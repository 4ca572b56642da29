import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '../errors';
import { callerFor, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';

let rt: TestRuntime;
beforeEach(() => {
  rt = makeTestRuntime();
});
afterEach(() => rt.cleanup());

describe('creating an external project', () => {
  it('stores the declared spaces and derives the policy class from the action space', async () => {
    const caller = callerFor(rt, await makeUser(rt, 'researcher'));
    const box = await caller.project.create({ name: 'arm', config: { spaces: { observation: { size: 7 }, action: { kind: 'box', size: 2, low: [-1, -2], high: [1, 2] } } } });
    const p = await caller.project.get({ projectId: box.id });
    expect(p.envId).toBeNull();
    expect(p.settings.spaces).toEqual({ observation: { size: 7 }, action: { kind: 'box', size: 2, low: [-1, -2], high: [1, 2] } });
    expect(p.settings.policy.kind).toBe('gaussian');
  });

  it('refuses spaces that do not add up, naming the field, and creates nothing', async () => {
    const caller = callerFor(rt, await makeUser(rt, 'researcher'));
    const bad = [
      [{ observation: { size: 4 }, action: { kind: 'box', size: 2, low: [-1], high: [1, 1] } }, 'config.spaces.action.low'],
      [{ observation: { size: 4 }, action: { kind: 'box', size: 1, low: [1], high: [1] } }, 'config.spaces.action.high'],
      [{ observation: { size: 4 }, action: { kind: 'discrete', n: 3, names: ['a', 'b'] } }, 'config.spaces.action.names'],
      [{ observation: { size: 0 }, action: { kind: 'discrete', n: 2 } }, 'config.spaces.observation.size'],
    ] as const;
    for (const [spaces, field] of bad) {
      const err = await caller.project.create({ name: 'bad', config: { spaces } }).then(
        () => null,
        (e: { code?: string; cause?: unknown }) => e,
      );
      expect(err?.code).toBe('BAD_REQUEST');
      expect(Object.keys(fieldErrorsOf(err?.cause) ?? {})).toContain(field);
    }
    expect(await caller.project.list()).toEqual([]);
  });
});
