/**
 * The part of a rollout the labeling workspace shows around a state: the last few seconds before it (the
 * replay) and a little after (segment labeling). Pure, so the client slices a cached rollout per task.
 */
export const WINDOW_BEFORE = 150;
export const WINDOW_AFTER = 30;

export interface RolloutSteps {
  states: unknown[];
  actions: unknown[];
  policyActions: unknown[] | null;
}

export interface RolloutWindow extends RolloutSteps {
  /** Step index of states[0] within the rollout. */
  startT: number;
}

export function rolloutWindow(rollout: RolloutSteps, t: number, before = WINDOW_BEFORE, after = WINDOW_AFTER): RolloutWindow {
  const startT = Math.max(0, Math.min(t, rollout.states.length) - before);
  const end = Math.min(rollout.states.length, t + after + 1);
  return {
    startT,
    states: rollout.states.slice(startT, end),
    actions: rollout.actions.slice(startT, end),
    policyActions: rollout.policyActions ? rollout.policyActions.slice(startT, end) : null,
  };
}
