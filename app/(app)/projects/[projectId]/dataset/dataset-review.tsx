'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { getEnv } from '@/envs/registry';
import { useTRPC } from '@/trpc/react';
import { EnvCanvas } from '../../../../_components/env-canvas';
import { EmptyState, buttonClass, inputClass, secondaryButtonClass } from '../../../../_components/form';

type Filters = { round?: number; source?: 'demonstration' | 'dagger' | 'import'; labelerId?: string; action?: number; agreementBelow?: number; excluded?: boolean };

export function DatasetReview({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [page, setPage] = useState(0);
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<number | null>(null);
  const [importMsg, setImportMsg] = useState<string | null>(null);
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const labelers = useQuery(trpc.project.labelers.queryOptions({ projectId }));
  const list = useQuery(trpc.dataset.list.queryOptions({ projectId, page, pageSize: 25, ...filters }));
  const item = useQuery({ ...trpc.dataset.item.queryOptions({ projectId, itemId: selected ?? 1 }), enabled: selected !== null });
  const review = useMutation(
    trpc.dataset.review.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
        void item.refetch();
      },
    }),
  );
  const importDemos = useMutation(trpc.round.importDemonstrations.mutationOptions());
  const setFilter = <K extends keyof Filters>(k: K, v: Filters[K]) => {
    setPage(0);
    setFilters((f) => ({ ...f, [k]: v }));
  };
  const discrete = project.data?.envId && project.data.settings.policy.kind === 'categorical';
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;
  return (
    <section className="space-y-4">
      <header className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Dataset</h1>
        <Link href={`/projects/${projectId}`} className="text-sm text-indigo-700 hover:underline">
          ← {project.data?.name ?? 'project'}
        </Link>
        <span className="ml-auto flex gap-3 text-sm">
          <a className="text-indigo-700 hover:underline" href={`/api/projects/${projectId}/dataset?format=jsonl`} data-testid="export-jsonl">Export JSONL</a>
          <a className="text-indigo-700 hover:underline" href={`/api/projects/${projectId}/dataset?format=npz`} data-testid="export-npz">Export .npz</a>
          <a className="text-indigo-700 hover:underline" href={`/api/projects/${projectId}/dataset?format=minari`} data-testid="export-minari">Export Minari (HDF5)</a>
        </span>
      </header>
      <div className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm" role="group" aria-label="Filters">
        <label>
          Round
          <select className={inputClass} value={filters.round ?? ''} onChange={(e) => setFilter('round', e.target.value === '' ? undefined : Number(e.target.value))}>
            <option value="">all</option>
            {project.data?.rounds.map((r) => <option key={r.id} value={r.index}>{r.index}</option>)}
          </select>
        </label>
        <label>
          Source
          <select className={inputClass} value={filters.source ?? ''} onChange={(e) => setFilter('source', (e.target.value || undefined) as Filters['source'])}>
            <option value="">all</option>
            <option value="demonstration">demonstration</option>
            <option value="dagger">dagger label</option>
            <option value="import">import</option>
          </select>
        </label>
        <label>
          Labeler
          <select className={inputClass} value={filters.labelerId ?? ''} onChange={(e) => setFilter('labelerId', e.target.value || undefined)}>
            <option value="">all</option>
            {labelers.data?.map((l) => <option key={l.labelerId} value={l.labelerId}>{l.email}</option>)}
          </select>
        </label>
        {discrete && project.data?.envId && (
          <label>
            Action
            <select className={inputClass} value={filters.action ?? ''} onChange={(e) => setFilter('action', e.target.value === '' ? undefined : Number(e.target.value))}>
              <option value="">all</option>
              {(project.data && 'envId' in project.data ? actionNames(project.data.envId) : []).map((n, i) => <option key={n} value={i}>{n}</option>)}
            </select>
          </label>
        )}
        <label>
          Agreement below
          <input className={`${inputClass} w-20`} type="number" step="0.05" min={0} max={1} value={filters.agreementBelow ?? ''} onChange={(e) => setFilter('agreementBelow', e.target.value === '' ? undefined : Number(e.target.value))} />
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={filters.excluded === true} onChange={(e) => setFilter('excluded', e.target.checked ? true : undefined)} /> excluded only
        </label>
      </div>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div>
          {list.data && list.data.total === 0 ? (
            <EmptyState title="No dataset items match">Demonstrations and resolved labels appear here; loosen the filters or import demonstrations below.</EmptyState>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-left text-sm" data-testid="dataset-table">
                <thead className="bg-slate-50 text-slate-500">
                  <tr>
                    <th className="px-2 py-1">#</th>
                    <th className="px-2 py-1">Round</th>
                    <th className="px-2 py-1">Source</th>
                    <th className="px-2 py-1">Action</th>
                    <th className="px-2 py-1">Agreement</th>
                    <th className="px-2 py-1">Labels</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data?.items.map((it) => (
                    <tr key={it.id} className={`cursor-pointer border-t border-slate-100 hover:bg-indigo-50 ${selected === it.id ? 'bg-indigo-50' : ''} ${it.excluded ? 'text-slate-400 line-through' : ''}`} onClick={() => setSelected(it.id)}>
                      <td className="px-2 py-1">{it.id}</td>
                      <td className="px-2 py-1">{it.round}</td>
                      <td className="px-2 py-1">{it.source}</td>
                      <td className="px-2 py-1 font-mono text-xs">{JSON.stringify(it.action)}</td>
                      <td className="px-2 py-1">{(it.agreement * 100).toFixed(0)}%</td>
                      <td className="px-2 py-1">{it.labelCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="mt-2 flex items-center gap-2 text-sm">
            <button className={secondaryButtonClass} disabled={page === 0} onClick={() => setPage((p) => p - 1)}>Previous</button>
            <span>
              page {page + 1} / {pages} · {list.data?.total ?? 0} items
            </span>
            <button className={secondaryButtonClass} disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>Next</button>
          </div>
        </div>
        <aside className="space-y-3" data-testid="dataset-item">
          {selected === null || !item.data ? (
            <EmptyState title="Select an item">to see its state, its labels and who gave them.</EmptyState>
          ) : (
            <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm">
              <p className="font-medium">
                Item {item.data.id} · round {item.data.round} · {item.data.source}
                {item.data.excluded && <span className="ml-2 text-red-700">excluded</span>}
              </p>
              {project.data?.envId && item.data.state !== null && <EnvCanvas envId={project.data.envId} state={item.data.state} action={item.data.action} width={360} height={220} />}
              <p>Consensus: <code>{JSON.stringify(item.data.action)}</code> · agreement {(item.data.agreement * 100).toFixed(0)}%</p>
              <ul className="space-y-0.5">
                {item.data.labels.map((l) => (
                  <li key={l.id}>
                    <code>{JSON.stringify(l.action)}</code> by {l.email} · {(l.timeMs / 1000).toFixed(2)} s · {l.mode}
                    {l.unsure ? ' · unsure' : ''}
                  </li>
                ))}
                {item.data.labels.length === 0 && <li className="text-slate-500">No labels: a {item.data.source} item.</li>}
              </ul>
              <div className="flex flex-wrap gap-2">
                {item.data.excluded ? (
                  <button className={secondaryButtonClass} onClick={() => review.mutate({ projectId, itemId: item.data!.id, kind: 'include' })}>Include again</button>
                ) : (
                  <button className={secondaryButtonClass} onClick={() => review.mutate({ projectId, itemId: item.data!.id, kind: 'exclude' })}>Exclude</button>
                )}
                <button className={secondaryButtonClass} onClick={() => review.mutate({ projectId, itemId: item.data!.id, kind: 'relabel' })}>Send for relabeling</button>
              </div>
              {review.error && <p role="alert" className="text-red-600">{review.error.message}</p>}
              {item.data.events.length > 0 && (
                <ul className="text-xs text-slate-500">
                  {item.data.events.map((e) => <li key={e.id}>{new Date(e.createdAt).toLocaleString()}: {e.kind}{e.reason ? ` (${e.reason})` : ''}</li>)}
                </ul>
              )}
            </div>
          )}
          <form
            className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
            onSubmit={async (e) => {
              e.preventDefault();
              const file = (new FormData(e.currentTarget).get('file') as File | null) ?? null;
              if (!file || file.size === 0) return setImportMsg('Choose a .jsonl file first');
              try {
                const r = await importDemos.mutateAsync({ projectId, jsonl: await file.text() });
                setImportMsg(`Imported ${r.items} samples in ${r.episodes} episode(s) into round ${r.roundIndex}.`);
                void qc.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
              } catch (err) {
                setImportMsg((err as Error).message);
              }
            }}
          >
            <p className="font-medium">Import demonstrations (JSONL)</p>
            <p className="text-xs text-slate-500">One line per step: {'{"obs": [...], "action": …, "episode": 0}'}</p>
            <input type="file" name="file" accept=".jsonl,.ndjson,application/x-ndjson" />
            <button className={buttonClass} disabled={importDemos.isPending}>Import</button>
            {importMsg && <p role="status">{importMsg}</p>}
          </form>
        </aside>
      </div>
    </section>
  );
}

function actionNames(envId: string | null): string[] {
  if (!envId) return [];
  const s = getEnv(envId).actionSpace;
  return s.kind === 'discrete' ? s.names : [];
}
