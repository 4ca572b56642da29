'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTRPC } from '@/trpc/react';

export function ProjectTabs({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  // The member-level summary: enough for the tabs, and it works before project.get has loaded.
  const summary = useQuery(trpc.project.summary.queryOptions({ projectId }));
  const base = `/projects/${projectId}`;
  const tabs = [
    { href: base, label: 'Dashboard', testId: 'tab-dashboard' },
    { href: `${base}/dataset`, label: 'Dataset', testId: 'tab-dataset' },
    // External projects have no built-in environment to play.
    ...(summary.data && !summary.data.envId ? [] : [{ href: `${base}/demonstrate`, label: 'Demonstrate', testId: 'tab-demonstrate' }]),
  ];
  return (
    <nav aria-label="Project" className="flex flex-wrap items-center gap-x-1 gap-y-2 border-b border-slate-200" data-testid="project-tabs">
      <Link href="/projects" className="mr-2 hidden text-sm text-slate-500 hover:underline sm:inline">
        Projects /
      </Link>
      <span className="mr-3 hidden max-w-xs truncate text-sm font-medium text-slate-700 sm:inline">{summary.data?.name ?? '…'}</span>
      {tabs.map((t) => {
        const active = pathname === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? 'page' : undefined}
            data-testid={t.testId}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${active ? 'border-indigo-600 font-medium text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
