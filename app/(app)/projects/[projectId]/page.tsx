import { Dashboard } from './dashboard';

export const metadata = { title: 'Project · DAgger Studio' };

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  return <Dashboard projectId={Number((await params).projectId)} />;
}
