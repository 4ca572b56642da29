/**
 * Segment labeling, the pure part: while a rollout plays, the labeler holds action keys; each frame gets the
 * action held `reactionMs` after the frame was shown (people act on what they saw a moment ago).
 */
export interface KeyEvent {
  /** performance.now() of the event. */
  at: number;
  key: string;
  down: boolean;
}

/** The keys held at time `at`, from an ordered list of key events. */
export function keysHeldAt(events: KeyEvent[], at: number): Set<string> {
  const held = new Set<string>();
  for (const e of events) {
    if (e.at > at) break;
    if (e.down) held.add(e.key);
    else held.delete(e.key);
  }
  return held;
}

/**
 * For each frame shown at `shownAt`, the action of the key held at shownAt + reactionMs (the first of the
 * action's keys that is held, in action order), or null when none was held (that frame stays unlabelled).
 */
export function segmentActions(frames: { shownAt: number }[], events: KeyEvent[], reactionMs: number, keyToAction: (key: string) => number | null): (number | null)[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  return frames.map((f) => {
    const held = keysHeldAt(sorted, f.shownAt + reactionMs);
    let best: number | null = null;
    for (const k of held) {
      const a = keyToAction(k);
      if (a !== null && (best === null || a < best)) best = a;
    }
    return best;
  });
}

/** Median of reaction-time trials, ignoring anticipations (< 100 ms) and lapses (> 1.5 s). */
export function medianReaction(trialsMs: number[]): number | null {
  const ok = trialsMs.filter((x) => x >= 100 && x <= 1500).sort((a, b) => a - b);
  if (ok.length === 0) return null;
  const m = Math.floor(ok.length / 2);
  return ok.length % 2 ? ok[m]! : (ok[m - 1]! + ok[m]!) / 2;
}
