import { ProjectsView } from './projects-view';

export const metadata = { title: 'Projects · DAgger Studio' };

export default function ProjectsPage() {
  return <ProjectsView />;
}
