import { Workspace } from './workspace';

export const metadata = { title: 'Label · DAgger Studio' };

export default function LabelPage() {
  return <Workspace />;
}
