import { Demonstrate } from './demonstrate';

export const metadata = { title: 'Demonstrate · DAgger Studio' };

export default async function DemonstratePage({ params }: { params: Promise<{ projectId: string }> }) {
  return <Demonstrate projectId={Number((await params).projectId)} />;
}
