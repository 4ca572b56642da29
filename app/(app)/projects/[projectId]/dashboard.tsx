'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '@/trpc/react';
import { LineChart, ProgressBar } from '../../../_components/charts';
import { EmptyState, Field, buttonClass, fieldErrorsOf, inputClass, secondaryButtonClass } from '../../../_components/form';
import { Members } from './members';
import { PolicyReplay } from './policy-replay';

const PHASE_STYLE: Record<string, string> = {
  rollout: 'bg-sky-100 text-sky-800',
  labeling: 'bg-amber-100 text-amber-800',
  training: 'bg-violet-100 text-violet-800',
  evaluating: 'bg-violet-100 text-violet-800',
  done: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
};

type Metrics = Record<string, number | null | undefined>;

export function Dashboard({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const project = useQuery({
    ...trpc.project.get.queryOptions({ projectId }),
    // Live progress while anything is moving.
    refetchInterval: (q) => {
      const d = q.state.data;
      if (!d) return 2000;
      const busy = d.rounds.some((r) => r.phase !== 'done' && r.phase !== 'failed') || d.otherJobs.length > 0;
      return busy ? 1000 : false;
    },
  });
  const [error, setError] = useState<string | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) });
  const opts = { onSuccess: () => { setError(null); return invalidate(); }, onError: (e: { message: string }) => setError(e.message) };
  const demonstrate = useMutation(trpc.round.demonstrate.mutationOptions(opts));
  const close = useMutation(trpc.round.close.mutationOptions(opts));
  const start = useMutation(trpc.round.start.mutationOptions(opts));
  const resume = useMutation(trpc.round.resume.mutationOptions(opts));
  const deploy = useMutation(trpc.policy.deploy.mutationOptions(opts));
  const baseline = useMutation(trpc.round.baseline.mutationOptions(opts));
  const [episodes, setEpisodes] = useState(1);
  const [watching, setWatching] = useState<number | null>(null);

  if (project.error) return <p role="alert" className="text-red-600">{project.error.message}</p>;
  const p = project.data;
  if (!p) return <p className="text-slate-500">Loading…</p>;
  const last = p.rounds.at(-1);
  const done = p.rounds.filter((r) => r.phase === 'done');
  const m = (r: { metrics: unknown }) => (r.metrics ?? {}) as Metrics;
  const pts = (key: string, band?: string) =>
    done.filter((r) => typeof m(r)[key] === 'number').map((r) => ({ x: r.index, y: m(r)[key] as number, ...(band ? { lo: (m(r)[key] as number) - (m(r)[band] ?? 0)!, hi: (m(r)[key] as number) + (m(r)[band] ?? 0)! } : {}) }));
  const versionsByRound = new Map(p.versions.map((v) => [v.roundId, v]));

  return (
    <section className="space-y-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold" data-testid="project-name">{p.name}</h1>
          <p className="text-sm text-slate-600">
            {p.envId ?? 'external simulator'} · {p.settings.policy.kind} policy · selection {p.settings.selection.strategy}
            {p.settings.selection.strategy !== 'all' ? `:${p.settings.selection.k}` : ''} · {p.settings.aggregation.labelsPerState} label(s) per state ·{' '}
            {p.settings.autoDeploy ? 'auto-deploy' : 'manual deploy'}
          </p>
        </div>
        <nav className="flex gap-3 text-sm">
          <span className="rounded bg-slate-800 px-2 py-0.5 text-white" data-testid="deployed-version">
            deployed: {p.deployed ? `v${p.deployed.version}` : 'none'}
          </span>
          <Link className="text-indigo-700 hover:underline" href={`/projects/${projectId}/dataset`}>Dataset</Link>
          {p.envId && <Link className="text-indigo-700 hover:underline" href={`/projects/${projectId}/demonstrate`}>Demonstrate</Link>}
        </nav>
      </header>

      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-700">
          {error}
        </p>
      )}

      <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        {last?.index === 0 && last.phase === 'labeling' && p.envId && (
          <>
            <Field label="Scripted demonstrations">
              <input type="number" min={1} max={1000} value={episodes} onChange={(e) => setEpisodes(Number(e.target.value))} className={`${inputClass} w-24`} aria-label="Episodes" />
            </Field>
            <button className={secondaryButtonClass} disabled={demonstrate.isPending} onClick={() => demonstrate.mutate({ projectId, episodes })}>
              Record expert episodes
            </button>
          </>
        )}
        {last?.phase === 'labeling' && (
          <button className={buttonClass} disabled={close.isPending} onClick={() => close.mutate({ projectId, roundId: last.id })} data-testid="close-round">
            {last.index === 0 ? 'Close round 0 and train' : 'Close round early and train'}
          </button>
        )}
        {last?.phase === 'done' && (
          <button className={buttonClass} disabled={start.isPending || !p.deployed} onClick={() => start.mutate({ projectId })} data-testid="start-round">
            Start round {last.index + 1}
          </button>
        )}
        {last?.phase === 'failed' && (
          <button className={buttonClass} onClick={() => resume.mutate({ projectId, roundId: last.id })}>
            Resume round {last.index} ({last.failedPhase})
          </button>
        )}
        {p.envId && done.length > 0 && (
          <button className={secondaryButtonClass} disabled={baseline.isPending || p.otherJobs.some((j) => j.type === 'baseline.bc')} onClick={() => baseline.mutate({ projectId })} data-testid="run-baseline">
            {p.baseline.length ? 'Rerun' : 'Run'} behaviour-cloning baseline
          </button>
        )}
        {p.otherJobs.map((j) => (
          <div key={j.id} className="w-64">
            <ProgressBar value={j.progress} label={`${j.type}: ${j.message ?? j.state}`} />
          </div>
        ))}
      </div>

      <div>
        <h2 className="mb-2 text-lg font-medium">Rounds</h2>
        <ol className="space-y-2" data-testid="round-timeline">
          {p.rounds.map((r) => {
            const v = versionsByRound.get(r.id);
            return (
              <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`round-${r.index}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">Round {r.index}</span>
                  <span className={`rounded px-1.5 py-0.5 text-xs ${PHASE_STYLE[r.phase] ?? ''}`} data-testid={`round-${r.index}-phase`}>
                    {r.phase}
                  </span>
                  <span className="text-xs text-slate-500">β = {r.beta}</span>
                  {r.closedEarly && <span className="text-xs text-amber-700">closed early</span>}
                  {v && <span className="text-xs text-slate-600">→ policy v{v.version}</span>}
                </div>
                <div className="mt-1 text-sm text-slate-600">
                  {r.index === 0 ? `${r.newItems} demonstration samples` : `${r.resolved}/${r.queries} states resolved · ${r.labels} labels`} · dataset {r.datasetSize}
                  {r.meanAgreement !== null && r.index > 0 ? ` · agreement ${(r.meanAgreement * 100).toFixed(0)}%` : ''}
                  {typeof m(r).returnMean === 'number' && ` · return ${(m(r).returnMean as number).toFixed(1)} ± ${((m(r).returnStd as number) ?? 0).toFixed(1)} · success ${(((m(r).successRate as number) ?? 0) * 100).toFixed(0)}%`}
                </div>
                {r.error && <p className="mt-1 text-sm text-red-700">{r.error}</p>}
                {r.index > 0 && r.phase === 'labeling' && <div className="mt-2 max-w-md"><ProgressBar value={r.queries ? r.resolved / r.queries : 0} label="labels" /></div>}
                {r.jobs.map((j) => (
                  <div key={j.id} className="mt-2 max-w-md">
                    <ProgressBar value={j.progress} label={`${j.type.replace('round.', '')}: ${j.message ?? j.state}`} testId={`job-${j.type}`} />
                  </div>
                ))}
              </li>
            );
          })}
        </ol>
      </div>

      <div className="grid gap-4 md:grid-cols-2" data-testid="charts">
        <LineChart
          title="Return (mean ± std)"
          series={[
            { name: 'policy', color: '#4f46e5', points: pts('returnMean', 'returnStd') },
            ...(p.baseline.length ? [{ name: 'BC baseline (same labels)', color: '#64748b', dashed: true, points: p.baseline.map((b) => ({ x: b.round, y: b.returnMean })) }] : []),
          ]}
          refLines={p.envRewardThreshold !== null ? [{ y: p.envRewardThreshold, label: 'threshold', color: '#16a34a' }] : []}
          testId="chart-return"
        />
        <LineChart
          title="Success rate and agreement"
          series={[
            { name: 'success', color: '#16a34a', points: pts('successRate') },
            { name: 'expert agreement', color: '#ea580c', points: pts('expertAgreement'), dashed: true },
            { name: 'labeler agreement', color: '#a855f7', points: p.rounds.filter((r) => r.index > 0 && r.meanAgreement !== null && r.labels > 0).map((r) => ({ x: r.index, y: r.meanAgreement as number })) },
            ...(p.baseline.length ? [{ name: 'BC baseline success', color: '#64748b', dashed: true, points: p.baseline.map((b) => ({ x: b.round, y: b.successRate })) }] : []),
          ]}
          refLines={[{ y: 1, label: 'expert', color: '#94a3b8' }]}
          testId="chart-success"
        />
        <LineChart
          title="Dataset size and labels"
          series={[
            { name: 'dataset', color: '#0ea5e9', points: p.rounds.map((r) => ({ x: r.index, y: r.datasetSize })) },
            { name: 'labels', color: '#a855f7', points: p.rounds.filter((r) => r.index > 0).map((r) => ({ x: r.index, y: r.labels })) },
          ]}
          testId="chart-dataset"
        />
        <LineChart
          title="Training and validation loss"
          series={[
            { name: 'train', color: '#4f46e5', points: pts('trainLoss') },
            { name: 'validation', color: '#dc2626', points: pts('valLoss'), dashed: true },
          ]}
          testId="chart-loss"
        />
      </div>

      <div>
        <h2 className="mb-2 text-lg font-medium">Policy versions</h2>
        {p.versions.length === 0 ? (
          <EmptyState title="No policy yet">Record demonstrations in round 0, then close it to train the first policy.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm" data-testid="policy-versions">
              <thead className="bg-slate-50 text-slate-500">
                <tr>
                  <th className="px-3 py-2">Version</th>
                  <th className="px-3 py-2">Round</th>
                  <th className="px-3 py-2">Dataset</th>
                  <th className="px-3 py-2">Return</th>
                  <th className="px-3 py-2">Success</th>
                  <th className="px-3 py-2"></th>
                </tr>
              </thead>
              <tbody>
                {p.versions.map((v) => {
                  const vm = (v.metrics ?? {}) as Metrics;
                  const isDeployed = p.deployed?.id === v.id;
                  return (
                    <tr key={v.id} className="border-t border-slate-100">
                      <td className="px-3 py-2 font-medium">v{v.version}{isDeployed && <span className="ml-2 rounded bg-emerald-100 px-1 text-xs text-emerald-800">deployed</span>}</td>
                      <td className="px-3 py-2">{p.rounds.find((r) => r.id === v.roundId)?.index ?? '—'}</td>
                      <td className="px-3 py-2">{v.datasetSize ?? '—'}</td>
                      <td className="px-3 py-2">{typeof vm.returnMean === 'number' ? vm.returnMean.toFixed(1) : '—'}</td>
                      <td className="px-3 py-2">{typeof vm.successRate === 'number' ? `${(vm.successRate * 100).toFixed(0)}%` : '—'}</td>
                      <td className="space-x-2 px-3 py-2 text-right">
                        {!isDeployed && (
                          <button className={secondaryButtonClass} onClick={() => deploy.mutate({ projectId, policyVersionId: v.id, reason: (p.deployed?.version ?? 0) > v.version ? 'rollback' : 'deployed by researcher' })}>
                            {(p.deployed?.version ?? 0) > v.version ? 'Roll back to this' : 'Deploy'}
                          </button>
                        )}
                        {p.envId && (
                          <button className="text-indigo-700 hover:underline" onClick={() => setWatching(v.id)} data-testid={`watch-v${v.version}`}>
                            Watch
                          </button>
                        )}
                        <a className="text-indigo-700 hover:underline" href={`/api/projects/${projectId}/policies/${v.version}`}>ONNX</a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {watching !== null && p.envId && <PolicyReplay projectId={projectId} policyVersionId={watching} envId={p.envId} onClose={() => setWatching(null)} />}

      <Members projectId={projectId} members={p.members} />
    </section>
  );
}

export function useFieldErrors() {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  return { errors, setFrom: (e: unknown) => setErrors(fieldErrorsOf(e)), clear: () => setErrors({}) };
}
