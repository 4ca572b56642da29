'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '@/trpc/react';
import { LineChart, ProgressBar } from '../../../_components/charts';
import { EmptyState, Field, buttonClass, fieldErrorsOf, inputClass, secondaryButtonClass } from '../../../_components/form';
import { PhaseBadge } from '../phase-badge';
import { Members } from './members';
import { PolicyReplay } from './policy-replay';

type Metrics = Record<string, number | null | undefined>;

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
const pct = (x: number | null | undefined) => (typeof x === 'number' ? `${(x * 100).toFixed(0)}%` : '—');

export function Dashboard({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const project = useQuery({
    ...trpc.project.get.queryOptions({ projectId }),
    // Live progress (every second) while a job is queued or running or a round is still moving.
    refetchInterval: (q) => {
      const d = q.state.data;
      if (!d) return 2000;
      const busy = d.otherJobs.length > 0 || d.rounds.some((r) => r.jobs.length > 0 || (r.phase !== 'done' && r.phase !== 'failed'));
      return busy ? 1000 : false;
    },
  });
  const [error, setError] = useState<string | null>(null);
  const [demoErrors, setDemoErrors] = useState<Record<string, string[]>>({});
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) });
  const opts = {
    onSuccess: () => {
      setError(null);
      setDemoErrors({});
      return invalidate();
    },
    onError: (e: unknown) => setError((e as Error).message),
  };
  const demonstrate = useMutation(trpc.round.demonstrate.mutationOptions({ ...opts, onError: (e) => { setDemoErrors(fieldErrorsOf(e)); setError(e.message); } }));
  const close = useMutation(trpc.round.close.mutationOptions(opts));
  const start = useMutation(trpc.round.start.mutationOptions(opts));
  const resume = useMutation(trpc.round.resume.mutationOptions(opts));
  const deploy = useMutation(trpc.policy.deploy.mutationOptions(opts));
  const baseline = useMutation(trpc.round.baseline.mutationOptions(opts));
  const [episodes, setEpisodes] = useState('1');
  const [noise, setNoise] = useState('0');
  const [thenTrain, setThenTrain] = useState(false);
  const [watching, setWatching] = useState<number | null>(null);

  if (project.error) {
    return (
      <p role="alert" className="text-red-600">
        {project.error.message}
      </p>
    );
  }
  const p = project.data;
  if (!p) return <p className="text-slate-500">Loading…</p>;
  const last = p.rounds.at(-1);
  const done = p.rounds.filter((r) => r.phase === 'done');
  const m = (r: { metrics: unknown }) => (r.metrics ?? {}) as Metrics;
  const pts = (key: string, band?: string) =>
    done
      .filter((r) => typeof m(r)[key] === 'number')
      .map((r) => {
        const y = m(r)[key] as number;
        const s = band ? (m(r)[band] ?? 0) : 0;
        return { x: r.index, y, ...(band ? { lo: y - s, hi: y + s } : {}) };
      });
  const versionsByRound = new Map(p.versions.map((v) => [v.roundId, v]));
  const versionById = new Map(p.versions.map((v) => [v.id, v]));
  const emailById = new Map(p.members.map((u) => [u.userId, u.email]));

  return (
    <section className="space-y-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold" data-testid="project-name">
            {p.name}
          </h1>
          <p className="text-sm text-slate-600" data-testid="project-settings">
            {p.envId ?? 'external simulator'} · {p.settings.policy.kind} policy · selection {p.settings.selection.strategy}
            {['first', 'stride', 'prefailure'].includes(p.settings.selection.strategy) ? `:${p.settings.selection.k}` : ''}
            {p.settings.selection.budget ? ` (≤ ${p.settings.selection.budget} states)` : ''} · β {p.settings.beta.kind} · {p.settings.aggregation.labelsPerState} label(s) per
            state · {p.settings.autoDeploy ? 'auto-deploy' : 'manual deploy'}
          </p>
        </div>
        <span className="rounded bg-slate-800 px-2 py-0.5 text-sm text-white" data-testid="deployed-version">
          deployed: {p.deployed ? `v${p.deployed.version}` : 'none'}
        </span>
      </header>

      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-700" data-testid="dashboard-error">
          {error}
        </p>
      )}

      <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" data-testid="round-actions">
        {last?.index === 0 && last.phase === 'labeling' && p.envId && (
          <form
            className="flex flex-wrap items-end gap-2"
            aria-label="Scripted demonstrations"
            onSubmit={(e) => {
              e.preventDefault();
              demonstrate.mutate({ projectId, episodes: Number(episodes), noise: noise === '' ? 0 : Number(noise), thenTrain });
            }}
          >
            <Field label="Episodes" errors={demoErrors.episodes}>
              <input type="number" inputMode="numeric" min={1} max={1000} value={episodes} onChange={(e) => setEpisodes(e.target.value)} className={inputClass.replace('w-full', 'w-24')} data-testid="demo-episodes" />
            </Field>
            <Field label="Noise" errors={demoErrors.noise}>
              <input type="number" inputMode="decimal" min={0} max={1} step={0.05} value={noise} onChange={(e) => setNoise(e.target.value)} className={inputClass.replace('w-full', 'w-24')} data-testid="demo-noise" />
            </Field>
            <label className="flex items-center gap-1 pb-1.5 text-sm">
              <input type="checkbox" checked={thenTrain} onChange={(e) => setThenTrain(e.target.checked)} data-testid="demo-then-train" /> then train
            </label>
            <button type="submit" className={secondaryButtonClass} disabled={demonstrate.isPending} data-testid="record-demos" title="The scripted expert plays; noise is DART-style action noise">
              Record expert episodes
            </button>
          </form>
        )}
        {last?.phase === 'labeling' && (
          <button
            className={buttonClass}
            disabled={close.isPending}
            onClick={() => close.mutate({ projectId, roundId: last.id })}
            data-testid="close-round"
          >
            {last.index === 0 ? 'Close round 0 and train' : 'Close round early and train'}
          </button>
        )}
        {last?.phase === 'done' && (
          <button className={buttonClass} disabled={start.isPending || !p.deployed} onClick={() => start.mutate({ projectId })} data-testid="start-round">
            Start round {last.index + 1}
          </button>
        )}
        {last?.phase === 'done' && !p.deployed && <span className="text-sm text-slate-600">Deploy a policy version below to start the next round.</span>}
        {last?.phase === 'failed' && <span className="text-sm text-red-700">Round {last.index} failed: see its error below and resume it.</span>}
        {p.envId && done.length > 0 && (
          <button
            className={secondaryButtonClass}
            disabled={baseline.isPending || p.otherJobs.some((j) => j.type === 'baseline.bc')}
            onClick={() => baseline.mutate({ projectId })}
            data-testid="run-baseline"
          >
            {p.baseline.length ? 'Rerun' : 'Run'} behaviour-cloning baseline
          </button>
        )}
        {p.otherJobs.map((j) => (
          <div key={j.id} className="w-full sm:w-64">
            <ProgressBar value={j.progress} label={`${j.type}: ${j.message ?? j.state}`} testId={`job-${j.type}`} />
          </div>
        ))}
      </div>

      <div>
        <h2 className="mb-2 text-lg font-medium">Rounds</h2>
        <ol className="space-y-2" data-testid="round-timeline">
          {p.rounds.map((r) => {
            const v = versionsByRound.get(r.id);
            const rm = m(r);
            return (
              <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`round-${r.index}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">Round {r.index}</span>
                  <PhaseBadge phase={r.phase} testId={`round-${r.index}-phase`} />
                  <span className="text-xs text-slate-500">β = {Number(r.beta.toFixed(3))}</span>
                  {r.closedEarly && <span className="rounded bg-amber-50 px-1 text-xs text-amber-800">closed early</span>}
                  {v && <span className="text-xs text-slate-600">→ policy v{v.version}</span>}
                  <span className="ml-auto text-xs text-slate-400">{when(r.createdAt)}</span>
                </div>
                <div className="mt-1 text-sm text-slate-600">
                  {r.index === 0 ? `${r.newItems} demonstration samples` : `${r.resolved}/${r.queries} states resolved · ${r.labels} labels`} · dataset {r.datasetSize}
                  {r.meanAgreement !== null && r.index > 0 ? ` · agreement ${pct(r.meanAgreement)}` : ''}
                  {typeof rm.returnMean === 'number' &&
                    ` · return ${rm.returnMean.toFixed(1)} ± ${(rm.returnStd ?? 0).toFixed(1)} · success ${pct(rm.successRate ?? 0)}`}
                </div>
                {r.phase === 'failed' && (
                  <div className="mt-2 flex flex-wrap items-center gap-2 rounded bg-red-50 p-2 text-sm text-red-800" data-testid={`round-${r.index}-error`}>
                    <span className="min-w-0 flex-1 break-words">
                      Failed{r.failedPhase ? ` while ${r.failedPhase}` : ''}: {r.error ?? 'unknown error'}
                    </span>
                    <button className={buttonClass} disabled={resume.isPending} onClick={() => resume.mutate({ projectId, roundId: r.id })} data-testid={`resume-round-${r.index}`}>
                      Resume round {r.index}
                    </button>
                  </div>
                )}
                {r.phase !== 'failed' && r.error && <p className="mt-1 text-sm text-red-700">{r.error}</p>}
                {r.index > 0 && r.phase === 'labeling' && (
                  <div className="mt-2 max-w-md">
                    <ProgressBar value={r.queries ? r.resolved / r.queries : 0} label={`labels: ${r.resolved}/${r.queries} states`} testId={`round-${r.index}-labeling`} />
                  </div>
                )}
                {r.jobs.map((j) => (
                  <div key={j.id} className="mt-2 max-w-md">
                    <ProgressBar value={j.progress} label={`${j.type.replace('round.', '').replace('demonstrations.', 'demonstrations: ')}: ${j.message ?? j.state}`} testId={`job-${j.type}`} />
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
            {
              name: 'labeler agreement',
              color: '#a855f7',
              points: p.rounds.filter((r) => r.index > 0 && r.meanAgreement !== null && r.labels > 0).map((r) => ({ x: r.index, y: r.meanAgreement as number })),
            },
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
          <EmptyState title="No policy yet">
            {p.envId ? 'Record expert episodes (or play some on the Demonstrate tab), then close round 0 to train the first policy.' : 'Upload demonstrations on the Dataset tab or over the HTTP API, then close round 0 to train the first policy.'}
          </EmptyState>
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
                  <th className="px-3 py-2">Created</th>
                  <th className="px-3 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.versions.map((v) => {
                  const vm = (v.metrics ?? {}) as Metrics;
                  const isDeployed = p.deployed?.id === v.id;
                  const older = (p.deployed?.version ?? 0) > v.version;
                  return (
                    <tr key={v.id} className="border-t border-slate-100" data-testid={`policy-v${v.version}`}>
                      <td className="whitespace-nowrap px-3 py-2 font-medium">
                        v{v.version}
                        {isDeployed && <span className="ml-2 rounded bg-emerald-100 px-1 text-xs text-emerald-800">deployed</span>}
                      </td>
                      <td className="px-3 py-2">{p.rounds.find((r) => r.id === v.roundId)?.index ?? '—'}</td>
                      <td className="px-3 py-2">{v.datasetSize ?? '—'}</td>
                      <td className="px-3 py-2">
                        {typeof vm.returnMean === 'number' ? vm.returnMean.toFixed(1) : '—'}
                        {typeof vm.returnStd === 'number' && <span className="text-xs text-slate-500"> ± {vm.returnStd.toFixed(1)}</span>}
                      </td>
                      <td className="px-3 py-2">{pct(vm.successRate)}</td>
                      <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-500">{when(v.createdAt)}</td>
                      <td className="whitespace-nowrap px-3 py-2 text-right">
                        <span className="inline-flex items-center gap-3">
                          {!isDeployed && (
                            <button
                              className={secondaryButtonClass}
                              disabled={deploy.isPending}
                              onClick={() => deploy.mutate({ projectId, policyVersionId: v.id, reason: older ? `rollback to v${v.version}` : 'deployed by researcher' })}
                              data-testid={`deploy-v${v.version}`}
                            >
                              {older ? 'Roll back to this' : 'Deploy'}
                            </button>
                          )}
                          {p.envId && (
                            <button className="text-indigo-700 hover:underline" onClick={() => setWatching(v.id)} data-testid={`watch-v${v.version}`}>
                              Watch
                            </button>
                          )}
                          <a
                            className="text-indigo-700 hover:underline"
                            href={`/api/projects/${projectId}/policies/${v.version}`}
                            download
                            aria-label={`Download ONNX of v${v.version}`}
                            data-testid={`download-v${v.version}`}
                          >
                            Download ONNX
                          </a>
                        </span>
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

      <div>
        <h2 className="mb-2 text-lg font-medium">Deployment history</h2>
        {p.deployments.length === 0 ? (
          <EmptyState title="Nothing deployed yet">The first trained policy is deployed here {p.settings.autoDeploy ? 'automatically' : 'when you press Deploy'}.</EmptyState>
        ) : (
          <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" data-testid="deployment-history">
            {p.deployments.map((d, i) => (
              <li key={d.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 px-3 py-2">
                <span className="font-medium">v{versionById.get(d.policyVersionId)?.version ?? '?'}</span>
                {i === 0 && <span className="rounded bg-emerald-100 px-1 text-xs text-emerald-800">current</span>}
                <span className="text-slate-600">{d.reason}</span>
                <span className="ml-auto text-xs text-slate-500">
                  {d.byUserId ? `${emailById.get(d.byUserId) ?? 'a researcher'} · ` : 'automatic · '}
                  {when(d.createdAt)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>

      <Members projectId={projectId} members={p.members} />

      <p className="text-sm text-slate-600">
        Next:{' '}
        <Link className="text-indigo-700 hover:underline" href={`/projects/${projectId}/dataset`}>
          review, filter and export the aggregated items
        </Link>
        {p.envId && (
          <>
            {' '}or{' '}
            <Link className="text-indigo-700 hover:underline" href={`/projects/${projectId}/demonstrate`}>
              play the environment yourself
            </Link>
          </>
        )}
        .
      </p>
    </section>
  );
}
