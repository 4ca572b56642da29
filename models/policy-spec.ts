/**
 * Policy configuration: which policy class, its network and how to train it — one typed, documented object.
 *
 * Public API
 *   PolicyConfigSchema                zod schema of the user-facing config (every field has a default but `kind`)
 *   type PolicyConfigInput            what callers pass (partial)
 *   type PolicyConfig                 the parsed, complete config
 *   resolvePolicyConfig(input, actionSpace) → PolicyConfig
 *                                     fills defaults, picks `kind` from the action space when omitted, and
 *                                     checks that the kind fits the space (categorical ⇔ discrete)
 *   defaultKindFor(actionSpace)       'categorical' for discrete spaces, 'gaussian' for boxes
 *   PolicyKind, Activation
 */
import { z } from 'zod';
import type { ActionSpace } from '../envs/types';

export const POLICY_KINDS = ['categorical', 'gaussian', 'mixture'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];
export type Activation = 'relu' | 'tanh';

export const PolicyConfigSchema = z
  .object({
    /** categorical (discrete actions, cross-entropy), gaussian (diagonal, NLL) or mixture (K Gaussians, NLL). */
    kind: z.enum(POLICY_KINDS).optional(),
    /** Hidden layer sizes of the MLP trunk. */
    hidden: z.array(z.number().int().min(1).max(4096)).max(8).default([64, 64]),
    activation: z.enum(['relu', 'tanh']).default('relu'),
    /** Mixture components (mixture policies only). */
    components: z.number().int().min(2).max(16).default(5),
    /** Bootstrap ensemble size; 1 = a single policy. Members differ in seed and bootstrap resample. */
    ensemble: z.number().int().min(1).max(16).default(1),
    /** AdamW learning rate. */
    lr: z.number().positive().max(1).default(1e-3),
    /** Learning-rate multiplier of the Gaussian's state-independent log-std parameters. */
    logStdLrScale: z.number().min(0).max(100).default(1),
    /** Decoupled (AdamW) weight decay, applied to weight matrices only (not biases or log-stds). */
    weightDecay: z.number().min(0).max(1).default(1e-4),
    batchSize: z.number().int().min(1).max(65536).default(64),
    /** Maximum epochs. */
    epochs: z.number().int().min(1).max(100000).default(200),
    /** Stop after this many epochs without a better validation loss (0 = never stop early). */
    patience: z.number().int().min(0).default(20),
    /** Fraction of the dataset held out for validation / early stopping (0 = none: early stopping watches the training loss). */
    valFraction: z.number().min(0).max(0.9).default(0.1),
    /** Global gradient-norm clipping threshold (0 = no clipping). */
    clipNorm: z.number().min(0).default(1),
    /** Seed of initialisation, shuffling, validation split and bootstrap resamples. */
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  })
  .strict();

export type PolicyConfigInput = z.input<typeof PolicyConfigSchema>;
export type PolicyConfig = Omit<z.output<typeof PolicyConfigSchema>, 'kind'> & { kind: PolicyKind };

export function defaultKindFor(space: ActionSpace): PolicyKind {
  return space.kind === 'discrete' ? 'categorical' : 'gaussian';
}

export class PolicyConfigError extends Error {
  override name = 'PolicyConfigError';
}

export function resolvePolicyConfig(input: PolicyConfigInput | undefined, actionSpace: ActionSpace): PolicyConfig {
  const parsed = PolicyConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PolicyConfigError(`invalid policy config: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : parsed.error.message}`);
  }
  const kind = parsed.data.kind ?? defaultKindFor(actionSpace);
  if (kind === 'categorical' && actionSpace.kind !== 'discrete') throw new PolicyConfigError(`policy kind categorical needs a discrete action space, got a box of size ${actionSpace.size}`);
  if (kind !== 'categorical' && actionSpace.kind !== 'box') throw new PolicyConfigError(`policy kind ${kind} needs a box action space, got a discrete space of ${actionSpace.n} actions`);
  return { ...parsed.data, kind };
}
