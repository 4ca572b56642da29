'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getEnv } from '@/envs/registry';
import type { Action, ActionSpace } from '@/envs/types';
import { useTRPC, useTRPCClient } from '@/trpc/react';
import { EnvCanvas } from '../../_components/env-canvas';
import { EmptyState, secondaryButtonClass } from '../../_components/form';
import { RolloutPlayer } from './rollout-player';
import { rolloutWindow } from './rollout-window';
import { SegmentPanel } from './segment-panel';
import { SubmitQueue, type PendingLabel } from './submit-queue';

type Task = NonNullable<Awaited<ReturnType<ReturnType<typeof useTRPCClient>['task']['next']['mutate']>>>;

const PREFETCH = 3;
declare global {
  interface Window {
    __labelTimings?: number[];
  }
}

function keyToAction(space: ActionSpace, key: string): number | null {
  if (space.kind !== 'discrete') return null;
  const i = space.keys.indexOf(key);
  if (i >= 0) return i;
  if (/^[1-9]$/.test(key) && Number(key) <= space.n) return Number(key) - 1;
  return null;
}

export function Workspace() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [buffer, setBuffer] = useState<Task[]>([]);
  const [current, setCurrent] = useState<Task | null>(null);
  const [exhausted, setExhausted] = useState(false);
  const [unsure, setUnsure] = useState(false);
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(0);
  const [done, setDone] = useState(0);
  const [lastLabel, setLastLabel] = useState<{ clientId: string; task: Task; labelId?: number } | null>(null);
  const [continuous, setContinuous] = useState<number[] | null>(null);
  const [segmentMode, setSegmentMode] = useState(false);
  const [segmentActive, setSegmentActive] = useState(false);
  const shownAt = useRef(performance.now());
  const fetching = useRef(false);
  const seen = useRef(new Set<number>());
  const since = useRef(Date.now());
  const progress = useQuery({ ...trpc.task.progress.queryOptions({ since: since.current }), refetchInterval: 4000 });
  const crowd = useQuery({ ...trpc.task.crowd.queryOptions(), refetchInterval: (q) => (q.state.data ? 3000 : false) });
  const skip = useMutation(trpc.task.skip.mutationOptions());
  const undo = useMutation(trpc.label.undo.mutationOptions());

  const queue = useMemo(() => {
    if (typeof window === 'undefined') return null;
    return new SubmitQueue(
      window.localStorage,
      'dagger-studio:pending-labels',
      (item) => client.label.submit.mutate(item),
      (item, labelId) => setLastLabel((l) => (l && l.clientId === item.clientId ? { ...l, labelId } : l)),
      (item, err) => setNotice(`A label was refused: ${err.message}`),
    );
  }, [client]);
  useEffect(() => {
    if (!queue) return;
    const unsub = queue.subscribe(() => setPending(queue.pending));
    void queue.flush();
    const online = () => void queue.flush();
    window.addEventListener('online', online);
    return () => {
      unsub();
      window.removeEventListener('online', online);
      queue.dispose();
    };
  }, [queue]);

  // Keep a few tasks leased ahead so the next one shows at once.
  const refill = useCallback(async () => {
    if (fetching.current) return;
    fetching.current = true;
    try {
      let got: Task[] = [];
      for (let i = 0; i < PREFETCH; i++) {
        const t = await client.task.next.mutate({});
        if (!t) break;
        if (!seen.current.has(t.taskId)) {
          seen.current.add(t.taskId);
          got = [...got, t];
        }
      }
      if (got.length === 0) setExhausted(true);
      else {
        setExhausted(false);
        setBuffer((b) => [...b, ...got]);
      }
    } catch (e) {
      setNotice((e as Error).message);
    } finally {
      fetching.current = false;
    }
  }, [client]);

  useEffect(() => {
    if (!current && buffer.length > 0) {
      setCurrent(buffer[0]!);
      setBuffer((b) => b.slice(1));
      shownAt.current = performance.now();
    }
    if (buffer.length < PREFETCH - 1) void refill();
  }, [buffer, current, refill]);

  useEffect(() => {
    if (!exhausted || current) return;
    const t = setInterval(() => void refill(), 3000);
    return () => clearInterval(t);
  }, [exhausted, current, refill]);

  // Each rollout is fetched once and kept: the states of one rollout come to a labeler one after another.
  const queryClient = useQueryClient();
  const rolloutQuery = useCallback((rolloutId: number) => ({ ...trpc.task.rollout.queryOptions({ rolloutId }), staleTime: Infinity, gcTime: 10 * 60_000 }), [trpc]);
  const rollout = useQuery({ ...rolloutQuery(current?.rolloutId ?? 0), enabled: !!current?.rolloutId });
  const context = useMemo(() => (current && rollout.data ? rolloutWindow(rollout.data, current.t) : null), [current, rollout.data]);
  useEffect(() => {
    for (const t of buffer) if (t.rolloutId) void queryClient.prefetchQuery(rolloutQuery(t.rolloutId));
  }, [buffer, queryClient, rolloutQuery]);

  const env = current?.envId ? getEnv(current.envId) : null;
  const space = env?.actionSpace ?? null;

  useEffect(() => {
    if (space?.kind === 'box') setContinuous((current?.policyAction as number[] | null) ?? space.low.map((lo, i) => (lo + space.high[i]!) / 2));
  }, [current, space]);

  const advance = useCallback(() => {
    performance.mark('label-key');
    setBuffer((b) => {
      const next = b[0] ?? null;
      setCurrent(next);
      shownAt.current = performance.now();
      return b.slice(1);
    });
    setUnsure(false);
  }, []);

  const submit = useCallback(
    (action: Action, mode: PendingLabel['mode']) => {
      if (!current || !queue) return;
      const item: PendingLabel = { clientId: crypto.randomUUID(), taskId: current.taskId, action, unsure, timeMs: Math.round(performance.now() - shownAt.current), mode };
      queue.enqueue(item);
      setLastLabel({ clientId: item.clientId, task: current });
      setDone((d) => d + 1);
      advance();
    },
    [current, queue, unsure, advance],
  );

  const onSkip = useCallback(() => {
    if (!current) return;
    skip.mutate({ taskId: current.taskId });
    advance();
  }, [current, skip, advance]);

  const onUndo = useCallback(async () => {
    if (!lastLabel || !queue) return;
    if (queue.drop(lastLabel.clientId)) {
      setNotice('Last label taken back before it was sent.');
    } else if (lastLabel.labelId) {
      try {
        await undo.mutateAsync({ labelId: lastLabel.labelId });
        setNotice('Last label taken back.');
      } catch (e) {
        setNotice((e as Error).message);
        return;
      }
    } else return;
    setDone((d) => d - 1);
    // The undone state comes back to the screen; the one that was showing waits at the head of the buffer.
    const back = lastLabel.task;
    setCurrent((c) => {
      if (c) setBuffer((b) => [c, ...b]);
      return back;
    });
    shownAt.current = performance.now();
    setLastLabel(null);
  }, [lastLabel, queue, undo]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && (target as HTMLInputElement).type !== 'range') return;
      if (e.repeat || segmentActive) return;
      if (e.key === '?') return setHelp((h) => !h);
      if (e.key === 'g' || e.key === 'G') return setSegmentMode((m) => !m);
      if (e.key === 'Escape') return setHelp(false);
      if (!current || !space) return;
      if (e.key === 's' || e.key === 'S') return onSkip();
      if (e.key === 'u' || e.key === 'U') return setUnsure((u) => !u);
      if (e.key === 'z' || e.key === 'Z' || e.key === 'Backspace') return void onUndo();
      if (space.kind === 'discrete') {
        const a = keyToAction(space, e.key);
        if (a !== null) {
          e.preventDefault();
          submit(a, 'key');
        }
        return;
      }
      if ((e.key === 'a' || e.key === 'A') && current.policyAction) return submit(current.policyAction as number[], 'key');
      if (e.key === 'Enter' && continuous) return submit(continuous, 'widget');
      const nudge = (dim: number, dir: number) => {
        e.preventDefault();
        setContinuous((c) => {
          if (!c || dim >= space.size) return c;
          const range = space.high[dim]! - space.low[dim]!;
          const step = (e.shiftKey ? 0.01 : 0.05) * range;
          return c.map((v, i) => (i === dim ? Math.min(space.high[i]!, Math.max(space.low[i]!, v + dir * step)) : v));
        });
      };
      if (e.key === 'ArrowRight') nudge(0, 1);
      if (e.key === 'ArrowLeft') nudge(0, -1);
      if (e.key === 'ArrowUp') nudge(1, 1);
      if (e.key === 'ArrowDown') nudge(1, -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, space, continuous, submit, onSkip, onUndo, segmentActive]);

  const onSegmentLabels = useCallback(
    (labels: { taskId: number; action: number | null }[]) => {
      if (!queue || !env) return;
      for (const l of labels) {
        if (l.action === null) skip.mutate({ taskId: l.taskId });
        else queue.enqueue({ clientId: crypto.randomUUID(), taskId: l.taskId, action: l.action, unsure: false, timeMs: Math.round(env.dt * 1000), mode: 'segment' });
      }
      const labelled = labels.filter((l) => l.action !== null).length;
      setDone((d) => d + labelled);
      setNotice(`Segment done: ${labelled} of ${labels.length} states labelled.`);
      advance();
    },
    [queue, env, skip, advance],
  );

  const onPaint = useCallback(() => {
    const marks = performance.getEntriesByName('label-key');
    const last = marks.at(-1);
    if (!last) return;
    performance.mark('task-visible');
    (window.__labelTimings ??= []).push(performance.now() - last.startTime);
    performance.clearMarks('label-key');
  }, []);

  if (crowd.data?.finished) {
    return (
      <section className="mx-auto max-w-md text-center" data-testid="completion">
        <h1 className="text-2xl font-semibold">Thank you!</h1>
        <p className="mt-2 text-slate-600">You have done all {crowd.data.cap} tasks of this study. Your completion code:</p>
        <p className="mt-4 font-mono text-3xl tracking-widest" data-testid="completion-code">{crowd.data.completionCode}</p>
      </section>
    );
  }

  return (
    <section className="space-y-4">
      <header className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <h1 className="text-2xl font-semibold">Label</h1>
        <span className="text-sm text-slate-600" data-testid="progress">
          {done} labelled this session · {progress.data?.remainingInRound ?? '…'} states open in your projects
          {progress.data?.agreement != null ? ` · ${Math.round(progress.data.agreement * 100)}% agreement with consensus (last ${progress.data.agreementOver})` : ''}
          {crowd.data?.cap ? ` · ${crowd.data.done}/${crowd.data.cap} study tasks` : ''}
          {pending > 0 ? ` · ${pending} sending…` : ''}
        </span>
        <button className="ml-auto text-sm text-indigo-700 hover:underline" onClick={() => setHelp(true)}>
          Shortcuts <kbd>?</kbd>
        </button>
      </header>
      {notice && (
        <p className="rounded bg-amber-50 p-2 text-sm text-amber-900" role="status">
          {notice}
        </p>
      )}
      {!current ? (
        exhausted ? (
          <EmptyState title="No tasks are waiting for you.">
            New states appear here when a researcher starts the next round of one of your projects. This page checks every few seconds.
          </EmptyState>
        ) : (
          <p className="text-slate-500">Loading tasks…</p>
        )
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]" data-testid="task" data-task-id={current.taskId}>
          <div className="space-y-2">
            <p className="text-sm text-slate-600">
              {current.projectName} · round {current.roundIndex} · step {current.t}
            </p>
            {env && current.envId ? (
              <>
                <EnvCanvas envId={current.envId} state={current.state} width={640} height={400} caption={`t = ${current.t}`} onPaint={onPaint} testId="task-canvas" />
                {context && !segmentMode && (
                  <RolloutPlayer envId={current.envId} context={context} focusT={current.t} dt={env.dt} />
                )}
                {context && segmentMode && space?.kind === 'discrete' && (
                  <SegmentPanel
                    key={current.taskId}
                    envId={current.envId}
                    space={space}
                    context={context}
                    dt={env.dt}
                    claim={() => client.task.segment.mutate({ taskId: current.taskId })}
                    onLabels={onSegmentLabels}
                    onActive={setSegmentActive}
                  />
                )}
              </>
            ) : current.frameUrl ? (
              // eslint-disable-next-line @next/next/no-img-element
              <img src={current.frameUrl} alt={`Frame of step ${current.t}`} className="max-w-full rounded border" onLoad={onPaint} data-testid="task-frame" />
            ) : (
              <pre className="overflow-x-auto rounded bg-white p-2 text-xs" data-testid="task-obs">{JSON.stringify(current.obs)}</pre>
            )}
          </div>
          <aside className="space-y-3">
            {space?.kind === 'discrete' && (
              <div className="grid gap-2" data-testid="action-pad">
                {space.names.map((name, i) => (
                  <button key={name} className="flex items-center justify-between rounded-md border border-slate-300 bg-white px-3 py-2 text-left hover:border-indigo-400" onClick={() => submit(i, 'click')}>
                    <span>{name}</span>
                    <span className="space-x-1">
                      <kbd>{prettyKey(space.keys[i] ?? '')}</kbd>
                      <kbd>{i + 1}</kbd>
                    </span>
                  </button>
                ))}
              </div>
            )}
            {space?.kind === 'box' && continuous && (
              <div className="space-y-2" data-testid="action-sliders">
                {space.size === 2 && <Pad2D low={space.low} high={space.high} value={continuous} onChange={setContinuous} />}
                {space.names.map((name, i) => (
                  <label key={name} className="block text-sm">
                    {name}: {continuous[i]!.toFixed(2)}
                    <input
                      type="range"
                      min={space.low[i]}
                      max={space.high[i]}
                      step={(space.high[i]! - space.low[i]!) / 200}
                      value={continuous[i]}
                      onChange={(e) => setContinuous(continuous.map((v, j) => (j === i ? Number(e.target.value) : v)))}
                      className="w-full"
                    />
                  </label>
                ))}
                <button className="w-full rounded-md bg-indigo-600 px-3 py-2 text-white" onClick={() => submit(continuous, 'widget')}>
                  Submit <kbd>Enter</kbd>
                </button>
                {current.policyAction !== null && (
                  <button className={`${secondaryButtonClass} w-full`} onClick={() => submit(current.policyAction as number[], 'click')}>
                    Accept the policy’s action <kbd>A</kbd>
                  </button>
                )}
              </div>
            )}
            <div className="flex flex-wrap gap-2">
              <button className={secondaryButtonClass} onClick={onSkip}>
                Skip <kbd>S</kbd>
              </button>
              <button className={`${secondaryButtonClass} ${unsure ? 'border-amber-500 bg-amber-50' : ''}`} aria-pressed={unsure} onClick={() => setUnsure((u) => !u)}>
                Unsure <kbd>U</kbd>
              </button>
              <button className={secondaryButtonClass} disabled={!lastLabel} onClick={() => void onUndo()}>
                Undo <kbd>Z</kbd>
              </button>
              {space?.kind === 'discrete' && context && (
                <button className={`${secondaryButtonClass} ${segmentMode ? 'border-indigo-500 bg-indigo-50' : ''}`} aria-pressed={segmentMode} onClick={() => setSegmentMode((m) => !m)} data-testid="segment-mode">
                  Segment mode <kbd>G</kbd>
                </button>
              )}
            </div>
          </aside>
        </div>
      )}
      {help && (
        <div role="dialog" aria-label="Keyboard shortcuts" className="fixed inset-0 z-10 flex items-center justify-center bg-black/30 p-4" onClick={() => setHelp(false)}>
          <div className="max-w-sm rounded-lg bg-white p-5 shadow-xl" onClick={(e) => e.stopPropagation()}>
            <h2 className="font-semibold">Shortcuts</h2>
            <ul className="mt-2 space-y-1 text-sm">
              {space?.kind === 'discrete' && space.names.map((n, i) => <li key={n}><kbd>{prettyKey(space.keys[i] ?? '')}</kbd> or <kbd>{i + 1}</kbd> {n}</li>)}
              {space?.kind === 'box' && (
                <>
                  <li><kbd>←</kbd><kbd>→</kbd> nudge dimension 1, <kbd>↑</kbd><kbd>↓</kbd> dimension 2 (<kbd>Shift</kbd>: finer)</li>
                  <li><kbd>Enter</kbd> submit · <kbd>A</kbd> accept the policy’s action</li>
                </>
              )}
              <li><kbd>S</kbd> skip · <kbd>U</kbd> unsure · <kbd>Z</kbd> undo last · <kbd>G</kbd> segment mode · <kbd>?</kbd> this help</li>
            </ul>
            <button className={`${secondaryButtonClass} mt-3`} onClick={() => setHelp(false)}>
              Close <kbd>Esc</kbd>
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function prettyKey(k: string): string {
  return { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', ' ': 'Space' }[k] ?? k;
}

/** A 2-D pad for two-dimensional continuous actions: click or drag sets both dimensions at once. */
function Pad2D({ low, high, value, onChange }: { low: number[]; high: number[]; value: number[]; onChange: (v: number[]) => void }) {
  const set = (e: React.PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
    const fy = Math.min(1, Math.max(0, 1 - (e.clientY - r.top) / r.height));
    onChange([low[0]! + fx * (high[0]! - low[0]!), low[1]! + fy * (high[1]! - low[1]!)]);
  };
  const px = ((value[0]! - low[0]!) / (high[0]! - low[0]!)) * 100;
  const py = (1 - (value[1]! - low[1]!) / (high[1]! - low[1]!)) * 100;
  return (
    <div
      role="slider"
      aria-label="2-D action pad"
      aria-valuetext={value.map((v) => v.toFixed(2)).join(', ')}
      className="relative aspect-square w-full touch-none rounded-md border border-slate-300 bg-[linear-gradient(#e2e8f0_1px,transparent_1px),linear-gradient(90deg,#e2e8f0_1px,transparent_1px)] bg-[size:25%_25%]"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        set(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons) set(e);
      }}
      data-testid="action-pad-2d"
    >
      <span className="absolute h-3 w-3 -translate-x-1/2 -translate-y-1/2 rounded-full bg-indigo-600" style={{ left: `${px}%`, top: `${py}%` }} />
    </div>
  );
}
