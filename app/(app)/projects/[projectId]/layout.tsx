import { ProjectTabs } from './project-tabs';

/** Every project page gets the same tabs: Dashboard · Dataset · Demonstrate. */
export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  return (
    <div className="space-y-4">
      {Number.isInteger(projectId) && projectId > 0 && <ProjectTabs projectId={projectId} />}
      {children}
    </div>
  );
}
