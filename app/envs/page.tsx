import { EnvGallery } from './env-gallery';

export const metadata = { title: 'Environments · DAgger Studio' };

/** Public gallery of the built-in environments (their spaces, horizons and a rendered start state). */
export default function EnvsPage() {
  return (
    <main className="mx-auto max-w-6xl p-6">
      <h1 className="text-2xl font-semibold">Built-in environments</h1>
      <p className="mt-1 text-sm text-slate-600">Ports of Gymnasium 1.4.0’s dynamics, plus LaneFollow-v0. Each has a scripted expert.</p>
      <EnvGallery />
    </main>
  );
}
