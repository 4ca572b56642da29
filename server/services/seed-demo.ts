/** Seeds the demo project on first start (filled in once the DAgger engine exists). */
import type { Runtime } from '../runtime';

export async function seedDemo(_rt: Runtime, _opts: { log: (m: string) => void }): Promise<{ projectId: number } | null> {
  return null;
}
