'use client';
import { useEffect, useState } from 'react';
import { EnvCanvas } from '../../_components/env-canvas';

/**
 * The rollout leading to the state being labelled: auto-plays the last seconds before it at a chosen
 * speed, can be scrubbed, and shows the policy's action only when asked (and only if the project allows).
 */
export function RolloutPlayer({
  envId,
  context,
  focusT,
  dt,
  seconds = 3,
  open = false,
  title = 'Replay the rollout up to this state',
}: {
  envId: string;
  context: { startT: number; states: unknown[]; actions: unknown[]; policyActions: unknown[] | null };
  focusT: number;
  dt: number;
  seconds?: number;
  open?: boolean;
  title?: string;
}) {
  const focus = focusT - context.startT;
  const first = Math.max(0, focus - Math.round(seconds / dt));
  const [i, setI] = useState(first);
  const [speed, setSpeed] = useState(1);
  const [playing, setPlaying] = useState(true);
  const [showPolicy, setShowPolicy] = useState(false);
  useEffect(() => {
    setI(first);
    setPlaying(true);
  }, [first, focusT]);
  useEffect(() => {
    if (!playing) return;
    if (i >= focus) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setI((x) => Math.min(focus, x + 1)), (dt * 1000) / speed);
    return () => clearTimeout(t);
  }, [playing, i, focus, dt, speed]);
  const policyAction = showPolicy && context.policyActions ? context.policyActions[i] : undefined;
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-2" data-testid="rollout-player" open={open}>
      <summary className="cursor-pointer text-sm text-slate-600">{title}</summary>
      <div className="mt-2 space-y-2">
        <EnvCanvas envId={envId} state={context.states[i]} action={policyAction as number | number[] | undefined} width={480} height={300} caption={`t = ${context.startT + i}${i === focus && !open ? ' (this state)' : ''}`} testId="replay-canvas" />
        <input type="range" min={0} max={context.states.length - 1} value={i} onChange={(e) => { setPlaying(false); setI(Number(e.target.value)); }} className="w-full" aria-label="Scrub" />
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <button className="rounded border px-2" onClick={() => { if (i >= focus) setI(first); setPlaying((p) => !p); }}>{playing ? 'Pause' : 'Play'}</button>
          <button className="rounded border px-2" onClick={() => { setPlaying(false); setI(focus); }}>Jump to state</button>
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="Speed" className="rounded border px-1">
            {[0.25, 0.5, 1, 2].map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
          {context.policyActions && (
            <label className="flex items-center gap-1"><input type="checkbox" checked={showPolicy} onChange={(e) => setShowPolicy(e.target.checked)} /> show the policy’s action</label>
          )}
        </div>
      </div>
    </details>
  );
}
