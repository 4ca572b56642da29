/**
 * An external simulator talking to DAgger Studio over HTTP: it downloads the deployed policy (ONNX, ETag),
 * runs it locally with onnxruntime-node in its own environment, and posts the rollouts back; their states
 * are queued for labeling. Here the "simulator" is this repo's CartPole-v1, standing in for yours.
 *
 *   npx tsx examples/external-client.ts --url http://localhost:3000 --project 3 --token dst_… [--episodes 2]
 */
import { parseArgs } from 'node:util';
import { getEnv } from '../envs/registry';
import { loadPolicy } from '../models/infer';

export class StudioClient {
  private etag: string | null = null;
  private policy: Awaited<ReturnType<typeof loadPolicy>> | null = null;
  version: number | null = null;

  constructor(
    readonly url: string,
    readonly projectId: number,
    readonly token: string,
  ) {}

  private headers(extra: Record<string, string> = {}) {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  /** Fetches the deployed policy if it changed (If-None-Match); returns true when a new one was loaded. */
  async refreshPolicy(): Promise<boolean> {
    const res = await fetch(`${this.url}/api/v1/projects/${this.projectId}/policy`, { headers: this.headers(this.etag ? { 'if-none-match': this.etag } : {}) });
    if (res.status === 304) return false;
    if (!res.ok) throw new Error(`GET policy: ${res.status} ${await res.text()}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    await this.policy?.release();
    this.policy = await loadPolicy(bytes);
    this.etag = res.headers.get('etag');
    this.version = Number(res.headers.get('x-policy-version'));
    return true;
  }

  get currentEtag(): string | null {
    return this.etag;
  }

  /** Runs one episode of the current policy in `envId` and returns it in the API's rollout layout. */
  async rollout(envId: string, seed: number) {
    if (!this.policy) throw new Error('no policy loaded: call refreshPolicy() first');
    const env = getEnv(envId);
    let s = env.reset(seed);
    const observations: number[][] = [];
    const actions: (number | number[])[] = [];
    const rewards: number[] = [];
    let terminated = false;
    for (let t = 0; t < env.horizon && !terminated; t++) {
      const obs = env.observe(s);
      observations.push(Array.from(obs));
      const { action } = await this.policy.actOne(obs, { mode: 'deterministic' });
      const r = env.step(s, action);
      actions.push(action);
      rewards.push(r.reward);
      terminated = r.terminated;
      s = r.state;
    }
    observations.push(Array.from(env.observe(s)));
    return { observations, actions, rewards, terminated, truncated: !terminated, seed, policyVersion: this.version ?? undefined };
  }

  async post(kind: 'rollouts' | 'demonstrations', body: unknown): Promise<{ rolloutId?: number; queries?: number }> {
    const res = await fetch(`${this.url}/api/v1/projects/${this.projectId}/${kind}`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: string; rolloutId?: number; queries?: number };
    if (!res.ok) throw new Error(`POST ${kind}: ${res.status} ${json.error}`);
    return json;
  }

  async close(): Promise<void> {
    await this.policy?.release();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://localhost:3000' }, project: { type: 'string' }, token: { type: 'string' }, episodes: { type: 'string', default: '2' }, env: { type: 'string', default: 'CartPole-v1' } } });
  if (!values.project || !values.token) throw new Error('--project and --token are required');
  const client = new StudioClient(values.url!, Number(values.project), values.token);
  await client.refreshPolicy();
  console.log(`policy v${client.version} (${client.currentEtag})`);
  for (let e = 0; e < Number(values.episodes); e++) {
    const r = await client.rollout(values.env!, e);
    console.log(JSON.stringify({ episode: e, steps: r.actions.length, ...(await client.post('rollouts', r)) }));
  }
  await client.close();
}
