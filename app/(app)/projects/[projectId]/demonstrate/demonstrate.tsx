'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getEnv } from '@/envs/registry';
import type { Action, ActionSpace, Env } from '@/envs/types';
import { useTRPC } from '@/trpc/react';
import { EnvCanvas } from '../../../../_components/env-canvas';
import { EmptyState, buttonClass, inputClass, secondaryButtonClass } from '../../../../_components/form';
import { RolloutPlayer } from '../../../label/rollout-player';
import { prettyKey, shouldIgnoreKey } from '../../../../_components/action-keys';
import { continuousAction, discreteAction, neutralAction } from './play-input';

interface Step {
  obs: number[];
  action: Action;
  state: unknown;
  reward: number;
}
interface Episode {
  id: number;
  seed: number;
  terminated: boolean;
  truncated: boolean;
  steps: Step[];
  /** The state after the last step (shown when the episode is replayed). */
  finalState: unknown;
  return: number;
  success: boolean;
}
interface Live {
  seed: number;
  state: unknown;
  steps: Step[];
  return: number;
}

/** Keys that drive the page rather than the environment (only where the environment does not use them). */
const START_KEY = 'Enter';
const PAUSE_KEY = 'p';

/**
 * Plays the environment live at its real time step (env.dt): the keyboard, or a gamepad, chooses the action
 * applied at each tick. Finished episodes (terminated, or truncated at the horizon) are listed and can be
 * recorded as demonstrations of the project's current round (round.importDemonstrations).
 */
export function Demonstrate({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const envId = project.data?.envId ?? null;
  const env = useMemo(() => {
    if (!envId) return null;
    try {
      return getEnv(envId);
    } catch {
      return null;
    }
  }, [envId]);
  if (project.error) {
    return (
      <p role="alert" className="text-red-600">
        {project.error.message}
      </p>
    );
  }
  if (!project.data) return <p className="text-slate-500">Loading…</p>;
  if (!env || !envId) {
    return (
      <EmptyState title="Nothing to play here">
        This project has no built-in environment: an external simulator sends its demonstrations over the HTTP API (see /api-docs), or import a JSONL file on the Dataset tab.
      </EmptyState>
    );
  }
  const current = project.data.rounds.at(-1) ?? null;
  return <Player projectId={projectId} envId={envId} env={env} round={current ? { index: current.index, phase: current.phase } : null} />;
}

function Player({ projectId, envId, env, round }: { projectId: number; envId: string; env: Env<unknown>; round: { index: number; phase: string } | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const record = useMutation(trpc.round.importDemonstrations.mutationOptions());
  const space = env.actionSpace;
  const [seed, setSeed] = useState(1);
  const [frame, setFrame] = useState<{ state: unknown; action: Action | null; t: number; ret: number }>(() => ({ state: env.reset(1), action: null, t: 0, ret: 0 }));
  const [status, setStatus] = useState<'idle' | 'running' | 'paused'>('idle');
  const [episodes, setEpisodes] = useState<Episode[]>([]);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [watching, setWatching] = useState<number | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [gain, setGain] = useState(1);
  const [speed, setSpeed] = useState(1);
  const [pad, setPad] = useState<string | null>(null);
  // Keys held now, most recent last (the latest pressed action key wins).
  const held = useRef<string[]>([]);
  const live = useRef<Live | null>(null);
  const nextId = useRef(1);
  const gainRef = useRef(gain);
  gainRef.current = gain;
  const neutral = useMemo(() => neutralAction(space), [space]);
  const pageKeys = useMemo(() => {
    const used = new Set(space.kind === 'discrete' ? space.keys : ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);
    return { start: used.has(START_KEY) ? null : START_KEY, pause: used.has(PAUSE_KEY) ? null : PAUSE_KEY };
  }, [space]);

  const start = useCallback(() => {
    live.current = { seed, state: env.reset(seed), steps: [], return: 0 };
    setMsg(null);
    setWatching(null);
    setStatus('running');
  }, [env, seed]);

  const stop = useCallback(() => {
    live.current = null;
    setStatus('idle');
    setFrame({ state: env.reset(seed), action: null, t: 0, ret: 0 });
  }, [env, seed]);

  // Keyboard: held keys for the action, plus Enter (start) and P (pause / resume) where free.
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      // Typing in the seed box, a modifier shortcut (Ctrl+R…) or Enter on a focused button is not play.
      if ((e.repeat && held.current.includes(e.key)) || (!e.repeat && shouldIgnoreKey(e))) return;
      if (e.key === pageKeys.start && !e.repeat) {
        e.preventDefault();
        if (status !== 'running') start();
        return;
      }
      if (e.key.toLowerCase() === pageKeys.pause && !e.repeat) {
        if (status === 'running') setStatus('paused');
        else if (status === 'paused') setStatus('running');
        return;
      }
      if (e.key === 'Escape' && status !== 'idle') return stop();
      if (e.key.startsWith('Arrow') || e.key === ' ') e.preventDefault();
      if (!held.current.includes(e.key)) held.current = [...held.current, e.key];
    };
    const up = (e: KeyboardEvent) => {
      held.current = held.current.filter((k) => k !== e.key);
    };
    // A key released while the window had no focus would otherwise stay held.
    const blur = () => {
      held.current = [];
      setStatus((s) => (s === 'running' ? 'paused' : s));
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, [status, start, stop, pageKeys]);

  // The game loop: fixed steps of env.dt in real time (catching up at most 5 steps per animation frame).
  useEffect(() => {
    if (status !== 'running') return;
    let raf = 0;
    let last = performance.now();
    let acc = 0;
    // Real time by default; slower on request (a 50 Hz cart-pole is hard to learn to play at full speed).
    const dtMs = (env.dt * 1000) / speed;
    const tick = (now: number) => {
      acc = Math.min(acc + (now - last), dtMs * 5);
      last = now;
      const ep = live.current;
      if (!ep) return;
      let action: Action | null = null;
      while (acc >= dtMs) {
        acc -= dtMs;
        const gp = navigator.getGamepads?.().find((g) => g) ?? null;
        action = space.kind === 'discrete' ? (discreteAction(space, held.current, gp) ?? neutral) : continuousAction(space, held.current, gp, gainRef.current);
        const s = ep.state;
        const r = env.step(s, action);
        ep.steps.push({ obs: Array.from(env.observe(s)), action, state: s, reward: r.reward });
        ep.return += r.reward;
        ep.state = r.state;
        if (r.terminated || ep.steps.length >= env.horizon) {
          const summary = { return: ep.return, length: ep.steps.length, terminated: r.terminated, truncated: !r.terminated };
          const finished: Episode = { id: nextId.current++, seed: ep.seed, terminated: r.terminated, truncated: !r.terminated, steps: ep.steps, finalState: r.state, return: ep.return, success: env.success(summary) };
          live.current = null;
          setEpisodes((list) => [...list, finished]);
          setChosen((c) => new Set(c).add(finished.id));
          setFrame({ state: r.state, action, t: ep.steps.length, ret: ep.return });
          setSeed((x) => x + 1);
          setStatus('idle');
          return;
        }
      }
      if (action !== null) setFrame({ state: ep.state, action, t: ep.steps.length, ret: ep.return });
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [status, env, space, neutral, speed]);

  // Gamepad presence (polling: the connect event only fires after a button press in some browsers).
  useEffect(() => {
    const check = () => setPad(navigator.getGamepads?.().find((g) => g)?.id ?? null);
    check();
    const t = setInterval(check, 1000);
    window.addEventListener('gamepadconnected', check);
    window.addEventListener('gamepaddisconnected', check);
    return () => {
      clearInterval(t);
      window.removeEventListener('gamepadconnected', check);
      window.removeEventListener('gamepaddisconnected', check);
    };
  }, []);

  const toRecord = episodes.filter((e) => chosen.has(e.id));
  const watched = episodes.find((e) => e.id === watching) ?? null;
  // Demonstrations are appended to the latest round: only while it is open, so a finished round stays as recorded.
  const canRecord = round?.phase === 'labeling';

  return (
    <section className="space-y-4">
      <header className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Demonstrate {envId}</h1>
        <span className="text-sm text-slate-500">
          {Math.round(1 / env.dt)} steps per second · horizon {env.horizon} steps
        </span>
      </header>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-2">
          <div className="flex flex-wrap items-end gap-2">
            <label className="text-sm">
              Seed
              <input
                type="number"
                inputMode="numeric"
                min={0}
                className={inputClass.replace('w-full', 'w-28')}
                value={seed}
                disabled={status !== 'idle'}
                onChange={(e) => {
                  // The canvas shows the initial state of the seed about to be played.
                  const s = Math.max(0, Math.floor(Number(e.target.value) || 0));
                  setSeed(s);
                  setFrame({ state: env.reset(s), action: null, t: 0, ret: 0 });
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    e.currentTarget.blur();
                    start();
                  }
                }}
                data-testid="demo-seed"
              />
            </label>
            <label className="text-sm">
              Speed
              <select className={inputClass.replace('w-full', 'w-24')} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="demo-speed">
                <option value={1}>real time</option>
                <option value={0.5}>½ ×</option>
                <option value={0.25}>¼ ×</option>
              </select>
            </label>
            {status === 'idle' ? (
              <button className={buttonClass} onClick={start} data-testid="demo-start">
                Start episode {pageKeys.start && <kbd className="ml-1 text-xs opacity-80">Enter</kbd>}
              </button>
            ) : (
              <>
                <button className={secondaryButtonClass} onClick={() => setStatus((s) => (s === 'running' ? 'paused' : 'running'))} data-testid="demo-pause">
                  {status === 'running' ? 'Pause' : 'Resume'} {pageKeys.pause && <kbd className="ml-1 text-xs">P</kbd>}
                </button>
                <button className={secondaryButtonClass} onClick={stop} data-testid="demo-stop">
                  Discard episode <kbd className="ml-1 text-xs">Esc</kbd>
                </button>
              </>
            )}
          </div>
          <div className="relative">
            <EnvCanvas envId={envId} state={frame.state} action={frame.action} width={640} height={400} caption={status === 'idle' && frame.t === 0 ? `seed ${seed}` : `t = ${frame.t}`} testId="demo-canvas" />
            {status === 'paused' && (
              <div className="pointer-events-none absolute inset-0 flex max-w-[640px] items-center justify-center bg-white/50 text-lg font-medium text-slate-700">Paused</div>
            )}
          </div>
          <p className="text-sm text-slate-600" role="status" aria-live="off" data-testid="demo-status">
            {status === 'idle' ? (frame.t > 0 ? `Episode over after ${frame.t} steps, return ${frame.ret.toFixed(1)}.` : 'Ready.') : `${status === 'paused' ? 'Paused' : 'Playing'}: step ${frame.t}, return ${frame.ret.toFixed(1)}`}
            {frame.action !== null && status !== 'idle' && ` · action ${describe(space, frame.action)}`}
          </p>
          <HoldButtons
            buttons={
              space.kind === 'discrete'
                ? space.names.map((n, i) => ({ label: n, key: space.keys[i] ?? String(i + 1) }))
                : [
                    { label: `← ${space.names[0]}`, key: 'ArrowLeft' },
                    { label: `${space.names[0]} →`, key: 'ArrowRight' },
                    ...(space.size > 1 ? [{ label: `↓ ${space.names[1]}`, key: 'ArrowDown' }, { label: `${space.names[1]} ↑`, key: 'ArrowUp' }] : []),
                  ]
            }
            press={(k) => {
              if (!held.current.includes(k)) held.current = [...held.current, k];
            }}
            release={(k) => {
              held.current = held.current.filter((x) => x !== k);
            }}
          />
        </div>

        <aside className="space-y-3 text-sm">
          <div className="rounded-lg border border-slate-200 bg-white p-3" data-testid="demo-controls">
            <h2 className="font-medium">Controls</h2>
            {space.kind === 'discrete' ? (
              <ul className="mt-1 space-y-0.5">
                {space.names.map((n, i) => (
                  <li key={n}>
                    <kbd>{prettyKey(space.keys[i] ?? '')}</kbd> or <kbd>{i + 1}</kbd> {n}
                    {i === neutral && <span className="text-slate-500"> (also when no key is held)</span>}
                  </li>
                ))}
              </ul>
            ) : (
              <>
                <p className="mt-1">
                  <kbd>←</kbd>
                  <kbd>→</kbd> {space.names[0]}
                  {space.size > 1 && (
                    <>
                      , <kbd>↓</kbd>
                      <kbd>↑</kbd> {space.names[1]}
                    </>
                  )}
                  ; or a gamepad’s left stick. No input: the middle of the range.
                </p>
                <label className="mt-2 block">
                  Keyboard strength {Math.round(gain * 100)}%
                  <input type="range" min={0.1} max={1} step={0.05} value={gain} onChange={(e) => setGain(Number(e.target.value))} className="w-full" data-testid="demo-gain" />
                </label>
              </>
            )}
            <p className="mt-2 text-slate-500">
              {pageKeys.start && (
                <>
                  <kbd>Enter</kbd> start ·{' '}
                </>
              )}
              {pageKeys.pause && (
                <>
                  <kbd>P</kbd> pause ·{' '}
                </>
              )}
              <kbd>Esc</kbd> discard
            </p>
            <p className="mt-1 text-xs text-slate-500" data-testid="demo-gamepad">
              {pad ? `Gamepad: ${pad}` : 'No gamepad detected (press a button on it to connect).'}
            </p>
          </div>

          <div className="rounded-lg border border-slate-200 bg-white p-3">
            <h2 className="font-medium">Finished episodes</h2>
            {episodes.length === 0 ? (
              <p className="mt-1 text-slate-500">Play an episode to the end (or to the horizon); it appears here, ready to be recorded.</p>
            ) : (
              <ul className="mt-1 space-y-1" data-testid="demo-episodes">
                {episodes.map((e) => (
                  <li key={e.id} className="flex flex-wrap items-center gap-x-2" data-testid={`demo-episode-${e.id}`}>
                    <label className="flex items-center gap-1">
                      <input
                        type="checkbox"
                        checked={chosen.has(e.id)}
                        onChange={(x) =>
                          setChosen((c) => {
                            const n = new Set(c);
                            if (x.target.checked) n.add(e.id);
                            else n.delete(e.id);
                            return n;
                          })
                        }
                      />
                      seed {e.seed}: {e.steps.length} steps, return {e.return.toFixed(1)}
                    </label>
                    <span className={e.success ? 'text-emerald-700' : 'text-slate-500'}>
                      {e.terminated ? 'terminated' : 'horizon'}
                      {e.success ? ' · success' : ''}
                    </span>
                    <button className="text-indigo-700 hover:underline" onClick={() => setWatching(watching === e.id ? null : e.id)}>
                      {watching === e.id ? 'Hide' : 'Replay'}
                    </button>
                    <button
                      className="text-red-700 hover:underline"
                      onClick={() => {
                        setEpisodes((l) => l.filter((x) => x.id !== e.id));
                        if (watching === e.id) setWatching(null);
                      }}
                    >
                      Delete
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {episodes.length > 0 && (
              <>
                <button
                  className={`${buttonClass} mt-2`}
                  disabled={record.isPending || toRecord.length === 0 || !canRecord}
                  data-testid="demo-record"
                  onClick={async () => {
                    setMsg(null);
                    try {
                      const r = await record.mutateAsync({
                        projectId,
                        episodes: toRecord.map((e) => ({ seed: e.seed, terminated: e.terminated, truncated: e.truncated, steps: e.steps })),
                      });
                      setMsg({ ok: true, text: `Recorded ${r.items} steps from ${r.episodes} episode(s) as demonstrations of round ${r.roundIndex}.` });
                      const recorded = new Set(toRecord.map((e) => e.id));
                      setEpisodes((l) => l.filter((e) => !recorded.has(e.id)));
                      setWatching(null);
                      void qc.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) });
                      void qc.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
                    } catch (err) {
                      setMsg({ ok: false, text: (err as Error).message });
                    }
                  }}
                >
                  {record.isPending ? 'Recording…' : `Record ${toRecord.length} episode(s) as demonstrations`}
                </button>
                {round && (
                  <p className="mt-1 text-xs text-slate-500">
                    {canRecord ? `They join round ${round.index}.` : `Round ${round.index} is ${round.phase}: record once the next round is labeling.`}
                  </p>
                )}
              </>
            )}
            {msg && (
              <p role={msg.ok ? 'status' : 'alert'} className={`mt-2 ${msg.ok ? 'text-emerald-700' : 'text-red-600'}`} data-testid="demo-record-result">
                {msg.text}
              </p>
            )}
          </div>
        </aside>
      </div>

      {watched && (
        <RolloutPlayer
          key={watched.id}
          envId={envId}
          context={{ startT: 0, states: [...watched.steps.map((s) => s.state), watched.finalState], actions: watched.steps.map((s) => s.action), policyActions: null }}
          focusT={watched.steps.length}
          dt={env.dt}
          seconds={(watched.steps.length + 1) * env.dt}
          open
          title={`Replay of seed ${watched.seed}`}
        />
      )}
    </section>
  );
}

/** On-screen buttons that act like held keys while pressed (touch screens, or a mouse). */
function HoldButtons({ buttons, press, release }: { buttons: { label: string; key: string }[]; press: (key: string) => void; release: (key: string) => void }) {
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Hold to act" data-testid="demo-hold-buttons">
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          tabIndex={-1}
          className="touch-none select-none rounded-md border border-slate-300 bg-white px-3 py-2 text-sm active:bg-indigo-100"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            press(b.key);
          }}
          onPointerUp={() => release(b.key)}
          onPointerCancel={() => release(b.key)}
          onLostPointerCapture={() => release(b.key)}
          onContextMenu={(e) => e.preventDefault()}
        >
          {b.label}
        </button>
      ))}
    </div>
  );
}

function describe(space: ActionSpace, a: Action): string {
  if (typeof a === 'number') return space.kind === 'discrete' ? (space.names[a] ?? String(a)) : String(a);
  return `[${a.map((v) => v.toFixed(2)).join(', ')}]`;
}
