'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { getEnv } from '@/envs/registry';
import type { Action } from '@/envs/types';
import { useTRPC } from '@/trpc/react';
import { EnvCanvas } from '../../../../_components/env-canvas';
import { buttonClass, inputClass, secondaryButtonClass } from '../../../../_components/form';

interface Episode {
  seed: number;
  terminated: boolean;
  truncated: boolean;
  steps: { obs: number[]; action: Action; state: unknown; reward: number }[];
  return: number;
}

/**
 * Plays the environment live at its real time step: the keyboard (or a gamepad's left stick for
 * continuous actions) chooses the action applied at each tick. Finished episodes can be recorded as
 * demonstrations of the current round.
 */
export function Demonstrate({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const record = useMutation(trpc.round.importDemonstrations.mutationOptions());
  const envId = project.data?.envId ?? null;
  const env = envId ? getEnv(envId) : null;
  const [seed, setSeed] = useState(1);
  const [state, setState] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [episodes, setEpisodes] = useState<Episode[]>([]);
  const [msg, setMsg] = useState<string | null>(null);
  const held = useRef(new Set<string>());
  const ep = useRef<Episode | null>(null);

  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).tagName === 'INPUT') return;
      held.current.add(e.key);
      if (e.key.startsWith('Arrow') || e.key === ' ') e.preventDefault();
    };
    const up = (e: KeyboardEvent) => held.current.delete(e.key);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);

  useEffect(() => {
    if (!running || !env) return;
    const space = env.actionSpace;
    const tick = setInterval(() => {
      const cur = ep.current;
      if (!cur) return;
      const s = cur.steps.length === 0 && state === null ? env.reset(cur.seed) : (state ?? env.reset(cur.seed));
      let action: Action;
      if (space.kind === 'discrete') {
        const pressed = space.keys.findIndex((k) => held.current.has(k));
        // No key held: the "neutral" action where the space has one (the middle action), else the first.
        action = pressed >= 0 ? pressed : space.n === 3 ? 1 : 0;
      } else {
        const pad = navigator.getGamepads?.().find((g) => g);
        const axis = (d: number) => {
          if (pad && Math.abs(pad.axes[d] ?? 0) > 0.05) return pad.axes[d]!;
          const [neg, pos] = d === 0 ? ['ArrowLeft', 'ArrowRight'] : ['ArrowDown', 'ArrowUp'];
          return (held.current.has(pos) ? 1 : 0) - (held.current.has(neg) ? 1 : 0);
        };
        action = space.low.map((lo, d) => lo + ((axis(d) + 1) / 2) * (space.high[d]! - lo));
      }
      const r = env.step(s, action);
      cur.steps.push({ obs: Array.from(env.observe(s)), action, state: s, reward: r.reward });
      cur.return += r.reward;
      setState(r.state);
      if (r.terminated || cur.steps.length >= env.horizon) {
        cur.terminated = r.terminated;
        cur.truncated = !r.terminated;
        setEpisodes((e) => [...e, cur]);
        ep.current = null;
        setRunning(false);
      }
    }, env.dt * 1000);
    return () => clearInterval(tick);
  }, [running, env, state]);

  if (project.error) return <p role="alert" className="text-red-600">{project.error.message}</p>;
  if (!project.data) return <p className="text-slate-500">Loading…</p>;
  if (!env || !envId) return <p>External projects receive demonstrations over the HTTP API.</p>;
  const space = env.actionSpace;
  return (
    <section className="space-y-4">
      <header className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Demonstrate {envId}</h1>
        <Link href={`/projects/${projectId}`} className="text-sm text-indigo-700 hover:underline">← {project.data.name}</Link>
      </header>
      <p className="text-sm text-slate-600">
        {space.kind === 'discrete'
          ? space.names.map((n, i) => `${n}: ${space.keys[i]}`).join(' · ')
          : 'Arrow keys or a gamepad’s left stick set the action'}{' '}
        — the environment runs at its real time step ({Math.round(1 / env.dt)} steps per second).
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          Seed
          <input type="number" className={`${inputClass} w-24`} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        <button
          className={buttonClass}
          disabled={running}
          onClick={() => {
            ep.current = { seed, terminated: false, truncated: false, steps: [], return: 0 };
            setState(env.reset(seed));
            setRunning(true);
          }}
        >
          Start episode
        </button>
        <button className={secondaryButtonClass} disabled={!running} onClick={() => setRunning(false)}>Pause</button>
      </div>
      <EnvCanvas envId={envId} state={state ?? env.reset(seed)} width={640} height={400} caption={ep.current ? `step ${ep.current.steps.length}` : undefined} />
      <div>
        <h2 className="font-medium">Finished episodes</h2>
        <ul className="text-sm">
          {episodes.map((e, i) => (
            <li key={i}>
              seed {e.seed}: {e.steps.length} steps, return {e.return.toFixed(1)} {e.terminated ? '(terminated)' : '(horizon)'}
            </li>
          ))}
        </ul>
        {episodes.length > 0 && (
          <button
            className={`${buttonClass} mt-2`}
            onClick={async () => {
              try {
                const r = await record.mutateAsync({
                  projectId,
                  episodes: episodes.map((e) => ({ seed: e.seed, terminated: e.terminated, truncated: e.truncated, steps: e.steps.map((s) => ({ obs: s.obs, action: s.action, state: s.state, reward: s.reward })) })),
                });
                setMsg(`Recorded ${r.items} steps as demonstrations of round ${r.roundIndex}.`);
                setEpisodes([]);
              } catch (err) {
                setMsg((err as Error).message);
              }
            }}
          >
            Record {episodes.length} episode(s) as demonstrations
          </button>
        )}
        {msg && <p role="status" className="mt-2 text-sm">{msg}</p>}
      </div>
    </section>
  );
}
