'use client';
import { useEffect, useRef, useState } from 'react';
import type { ActionSpace } from '@/envs/types';
import { EnvCanvas } from '../../_components/env-canvas';
import { medianReaction, segmentActions, type KeyEvent } from './segment';

const REACTION_KEY = 'dagger-studio:reaction-ms';

export interface SegmentTask {
  taskId: number;
  t: number;
}

/**
 * Segment mode: the rollout plays at its real time step from the current state on (after a second of
 * lead-in) and the labeler holds the action keys; every queued state of the segment gets the action held one
 * reaction time after it was shown. Labels made this way are marked mode 'segment'.
 */
export function SegmentPanel({
  envId,
  space,
  context,
  dt,
  claim,
  onLabels,
  onActive,
}: {
  envId: string;
  space: ActionSpace & { kind: 'discrete' };
  context: { startT: number; states: unknown[] };
  dt: number;
  claim: () => Promise<SegmentTask[]>;
  onLabels: (labels: { taskId: number; action: number | null }[]) => void;
  onActive: (active: boolean) => void;
}) {
  const [reactionMs, setReactionMs] = useState(250);
  const [frame, setFrame] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [calib, setCalib] = useState<{ trials: number[]; armedAt: number | null } | null>(null);
  const events = useRef<KeyEvent[]>([]);

  useEffect(() => {
    const saved = Number(window.localStorage.getItem(REACTION_KEY));
    if (saved > 0) setReactionMs(saved);
  }, []);

  const keyToAction = (k: string) => {
    const i = space.keys.indexOf(k);
    if (i >= 0) return i;
    return /^[1-9]$/.test(k) && Number(k) <= space.n ? Number(k) - 1 : null;
  };

  async function play() {
    onActive(true);
    setStatus('Hold the action keys while the rollout plays…');
    const tasks = await claim();
    const first = Math.min(...tasks.map((t) => t.t));
    const last = Math.max(...tasks.map((t) => t.t));
    events.current = [];
    const down = (e: KeyboardEvent) => {
      if (!e.repeat) events.current.push({ at: performance.now(), key: e.key, down: true });
      e.preventDefault();
    };
    const up = (e: KeyboardEvent) => events.current.push({ at: performance.now(), key: e.key, down: false });
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up, true);
    const shownAt = new Map<number, number>();
    // One second of lead-in before the first state, so the motion is already visible when labeling starts.
    const lastFrame = Math.min(last, context.startT + context.states.length - 1);
    for (let t = Math.max(context.startT, first - Math.round(1 / dt)); t <= lastFrame; t++) {
      setFrame(t - context.startT);
      shownAt.set(t, performance.now());
      await new Promise((r) => setTimeout(r, dt * 1000));
    }
    // Keep listening one reaction time past the last frame.
    await new Promise((r) => setTimeout(r, reactionMs));
    window.removeEventListener('keydown', down, true);
    window.removeEventListener('keyup', up, true);
    const actions = segmentActions(tasks.map((t) => ({ shownAt: shownAt.get(t.t)! })), events.current, reactionMs, keyToAction);
    setFrame(null);
    onActive(false);
    // The parent reports the result: this panel belongs to the task and goes away with it.
    onLabels(tasks.map((t, i) => ({ taskId: t.taskId, action: actions[i] ?? null })));
  }

  function calibrate() {
    onActive(true);
    setCalib({ trials: [], armedAt: null });
  }

  useEffect(() => {
    if (!calib) return;
    if (calib.trials.length >= 5) {
      const m = medianReaction(calib.trials);
      if (m !== null) {
        setReactionMs(m);
        window.localStorage.setItem(REACTION_KEY, String(Math.round(m)));
      }
      setStatus(m === null ? 'Calibration failed: press Space when the square turns green.' : `Reaction time: ${Math.round(m)} ms`);
      setCalib(null);
      onActive(false);
      return;
    }
    const wait = setTimeout(() => setCalib((c) => (c ? { ...c, armedAt: performance.now() } : c)), 800 + Math.random() * 1500);
    const key = (e: KeyboardEvent) => {
      if (e.key !== ' ') return;
      e.preventDefault();
      setCalib((c) => (c && c.armedAt !== null ? { trials: [...c.trials, performance.now() - c.armedAt], armedAt: null } : c));
    };
    window.addEventListener('keydown', key, true);
    return () => {
      clearTimeout(wait);
      window.removeEventListener('keydown', key, true);
    };
  }, [calib, onActive]);

  return (
    <div className="space-y-2 rounded-lg border border-indigo-200 bg-white p-2 text-sm" data-testid="segment-panel">
      <div className="flex flex-wrap items-center gap-2">
        <button className="rounded-md bg-indigo-600 px-3 py-1.5 text-white disabled:opacity-50" disabled={frame !== null || !!calib} onClick={() => void play()} data-testid="segment-start">
          Play segment and hold keys
        </button>
        <span>Reaction time {Math.round(reactionMs)} ms</span>
        <button className="rounded border px-2 py-1" disabled={frame !== null || !!calib} onClick={calibrate}>
          Calibrate (5 × Space)
        </button>
      </div>
      {calib && (
        <div className={`flex h-24 items-center justify-center rounded text-white ${calib.armedAt !== null ? 'bg-emerald-500' : 'bg-slate-400'}`} data-testid="calibration">
          {calib.armedAt !== null ? 'Space!' : `wait… (${calib.trials.length}/5)`}
        </div>
      )}
      {frame !== null && <EnvCanvas envId={envId} state={context.states[frame]} width={480} height={300} caption={`t = ${context.startT + frame}`} testId="segment-canvas" />}
      {status && <p role="status">{status}</p>}
    </div>
  );
}

