/**
 * Segment labeling and reaction-time calibration, the pure part.
 *
 * While a rollout plays, the labeler holds action keys. People act on what they saw a moment ago, so the
 * frame shown at time t is labelled with the action held at t + reactionMs.
 */

/** One press or release of an action key (times in the performance.now() time base). */
export interface ActionKeyEvent {
  at: number;
  action: number;
  down: boolean;
}

/**
 * The action held at time `at`: of the action keys down at that moment, the one pressed last (rolling from
 * one key to the next means the new one), or null when none is held. Events may come in any order.
 */
export function actionHeldAt(events: readonly ActionKeyEvent[], at: number): number | null {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  return heldInSorted(sorted, at);
}

function heldInSorted(sorted: readonly ActionKeyEvent[], at: number): number | null {
  // action → time it was pressed (only the actions currently down)
  const down = new Map<number, number>();
  for (const e of sorted) {
    if (e.at > at) break;
    if (e.down) {
      if (!down.has(e.action)) down.set(e.action, e.at);
    } else down.delete(e.action);
  }
  let best: number | null = null;
  let bestAt = -Infinity;
  for (const [action, t] of down) {
    if (t >= bestAt) {
      best = action;
      bestAt = t;
    }
  }
  return best;
}

/**
 * For each frame (its index in the rollout and when it was shown), the action held `reactionMs` after it
 * was shown, or null when no action key was held then (the caller leaves that state unlabelled).
 */
export function labelFrames(frames: readonly { index: number; shownAt: number }[], events: readonly ActionKeyEvent[], reactionMs: number): { index: number; action: number | null }[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  return frames.map((f) => ({ index: f.index, action: heldInSorted(sorted, f.shownAt + reactionMs) }));
}

export interface ReactionBounds {
  /** Faster than this is an anticipation, not a reaction (default 100 ms). */
  minMs?: number;
  /** Slower than this is a lapse of attention (default 1500 ms). */
  maxMs?: number;
}

/** Whether one calibration trial counts. */
export function isValidReaction(ms: number, { minMs = 100, maxMs = 1500 }: ReactionBounds = {}): boolean {
  return Number.isFinite(ms) && ms >= minMs && ms <= maxMs;
}

/** The median of the valid trials (anticipations and lapses left out), or null when none is valid. */
export function medianReaction(trialsMs: readonly number[], bounds: ReactionBounds = {}): number | null {
  const ok = trialsMs.filter((x) => isValidReaction(x, bounds)).sort((a, b) => a - b);
  if (ok.length === 0) return null;
  const m = Math.floor(ok.length / 2);
  return ok.length % 2 === 1 ? ok[m]! : (ok[m - 1]! + ok[m]!) / 2;
}

/**
 * The frames to play for a segment: a lead-in of `leadInSeconds` before `from` (so the motion is already
 * visible when labeling starts), then `from`..`to` inclusive, all clamped to the rollout.
 */
export function segmentWindow(length: number, from: number, to: number, dt: number, leadInSeconds: number): { start: number; from: number; to: number } {
  const last = Math.max(0, length - 1);
  const f = Math.min(last, Math.max(0, Math.floor(from)));
  const t = Math.min(last, Math.max(f, Math.floor(to)));
  const lead = dt > 0 ? Math.round(Math.max(0, leadInSeconds) / dt) : 0;
  return { start: Math.max(0, f - lead), from: f, to: t };
}
