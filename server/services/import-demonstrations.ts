/**
 * Imports demonstrations: JSONL lines `{"obs": [...], "action": ..., "episode"?: n, "state"?: ...}` (the
 * CLI's training format), or whole episodes played in the browser. Every line is checked before anything
 * is written; an error names the line.
 */
import { z } from 'zod';
import { badInput } from '../errors';
import type { Runtime } from '../runtime';
import { recordDemonstrations, type DemoEpisode } from './record-demonstrations';

/** Upload size limit for a JSONL body (characters). */
export const MAX_JSONL_CHARS = 20_000_000;

const lineSchema = z.object({
  obs: z.array(z.number()),
  action: z.union([z.number(), z.array(z.number())]),
  episode: z.number().int().min(0).optional(),
  state: z.unknown().optional(),
  reward: z.number().optional(),
});

export const importDemonstrationsInput = z.object({
  projectId: z.number().int().positive(),
  /** JSONL text. */
  jsonl: z.string().max(MAX_JSONL_CHARS, `At most ${MAX_JSONL_CHARS} characters`).optional(),
  /** Episodes recorded in the browser (demonstrate page). */
  episodes: z
    .array(
      z.object({
        seed: z.number().int().nullable().optional(),
        terminated: z.boolean().optional(),
        truncated: z.boolean().optional(),
        steps: z.array(z.object({ obs: z.array(z.number()), action: z.union([z.number(), z.array(z.number())]), state: z.unknown().optional(), reward: z.number().optional() })).max(100_000),
      }),
    )
    .max(1000)
    .optional(),
});

export function parseDemonstrationJsonl(text: string): DemoEpisode[] {
  const episodes = new Map<number, DemoEpisode>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw badInput(`line ${i + 1}: not valid JSON`);
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) throw badInput(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'value'} ${x.message}`).join('; ')}`);
    const { episode = 0, ...step } = parsed.data;
    if (step.obs.some((v) => !Number.isFinite(v))) throw badInput(`line ${i + 1}: obs contains NaN or Infinity`);
    const ep = episodes.get(episode) ?? { steps: [] };
    ep.steps.push(step);
    episodes.set(episode, ep);
  });
  if (episodes.size === 0) throw badInput('The file has no demonstration lines');
  return [...episodes.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}

export function importDemonstrations(rt: Runtime, raw: z.input<typeof importDemonstrationsInput>) {
  const input = importDemonstrationsInput.parse(raw);
  const episodes: DemoEpisode[] = input.jsonl ? parseDemonstrationJsonl(input.jsonl) : (input.episodes ?? []).map((e) => ({ ...e, steps: e.steps }));
  if (episodes.length === 0) throw badInput('Nothing to import');
  const source = input.jsonl ? 'import' : 'demonstration';
  return rt.db.transaction((tx) => recordDemonstrations(tx, input.projectId, episodes, source), { behavior: 'immediate' });
}
