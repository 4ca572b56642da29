import { DatasetReview } from './dataset-review';

export const metadata = { title: 'Dataset · DAgger Studio' };

export default async function DatasetPage({ params }: { params: Promise<{ projectId: string }> }) {
  return <DatasetReview projectId={Number((await params).projectId)} />;
}
