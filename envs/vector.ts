/**
 * A vectorised runner: N copies of an environment stepping together, with one Float32Array of N × obsDim
 * observations (what a batched policy consumes), per-copy seeds derived from one seed, and auto-reset at
 * termination or the horizon. Finished episodes are reported through `episodes`.
 */
import { mulberry32 } from './random';
import type { Action, Env, EpisodeSummary } from './types';

export interface VectorStep {
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
}

export class VectorEnv<S = unknown> {
  readonly obs: Float32Array;
  readonly obsDim: number;
  readonly states: S[];
  readonly episodes: EpisodeSummary[] = [];
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private readonly nextSeed: () => number;
  private readonly out: VectorStep;

  constructor(
    readonly env: Env<S>,
    readonly n: number,
    seed: number,
  ) {
    this.obsDim = env.observationSpace.size;
    this.obs = new Float32Array(n * this.obsDim);
    this.returns = new Float64Array(n);
    this.lengths = new Int32Array(n);
    const r = mulberry32(seed);
    this.nextSeed = () => Math.floor(r() * 2 ** 31);
    this.states = Array.from({ length: n }, () => env.reset(this.nextSeed()));
    this.states.forEach((s, i) => this.obs.set(env.observe(s), i * this.obsDim));
    this.out = { rewards: new Float64Array(n), terminated: new Uint8Array(n), truncated: new Uint8Array(n) };
  }

  /** Steps every copy with its action; finished copies are reset (their row of `obs` is the new start). */
  step(actions: ArrayLike<Action> | Action[]): VectorStep {
    const { env, out } = this;
    for (let i = 0; i < this.n; i++) {
      const r = env.step(this.states[i]!, actions[i]!);
      this.returns[i]! += r.reward;
      const len = ++this.lengths[i]!;
      const truncated = !r.terminated && len >= env.horizon;
      out.rewards[i] = r.reward;
      out.terminated[i] = r.terminated ? 1 : 0;
      out.truncated[i] = truncated ? 1 : 0;
      if (r.terminated || truncated) {
        this.episodes.push({ return: this.returns[i]!, length: len, terminated: r.terminated, truncated });
        this.returns[i] = 0;
        this.lengths[i] = 0;
        this.states[i] = env.reset(this.nextSeed());
      } else this.states[i] = r.state;
      this.obs.set(env.observe(this.states[i]!), i * this.obsDim);
    }
    return out;
  }
}

/**
 * The fast path for environments with a FastKernel (discrete actions): states live in one Float64Array,
 * nothing is allocated per step. Same seeding and auto-reset semantics as VectorEnv.
 */
export class FastVectorEnv {
  readonly obs: Float32Array;
  readonly obsDim: number;
  readonly states: Float64Array;
  readonly rewards: Float64Array;
  readonly done: Uint8Array;
  readonly truncated: Uint8Array;
  episodesFinished = 0;
  private readonly lengths: Int32Array;
  private readonly nextSeed: () => number;
  private readonly k: NonNullable<Env['fast']>;

  constructor(
    readonly env: Env<unknown>,
    readonly n: number,
    seed: number,
  ) {
    if (!env.fast) throw new Error(`${env.id} has no fast kernel`);
    this.k = env.fast;
    this.obsDim = env.observationSpace.size;
    this.obs = new Float32Array(n * this.obsDim);
    this.states = new Float64Array(n * this.k.stateSize);
    this.rewards = new Float64Array(n);
    this.done = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.lengths = new Int32Array(n);
    const r = mulberry32(seed);
    this.nextSeed = () => Math.floor(r() * 2 ** 31);
    for (let i = 0; i < n; i++) {
      this.k.reset(this.nextSeed(), this.states, i * this.k.stateSize);
      this.k.observe(this.states, i * this.k.stateSize, this.obs, i * this.obsDim);
    }
  }

  step(actions: ArrayLike<number>): void {
    const { k, states, obs, n } = this;
    const ss = k.stateSize;
    const horizon = this.env.horizon;
    for (let i = 0; i < n; i++) {
      const o = i * ss;
      this.rewards[i] = k.step(states, o, actions[i]!, this.done, i);
      const len = ++this.lengths[i]!;
      const trunc = this.done[i] === 0 && len >= horizon;
      this.truncated[i] = trunc ? 1 : 0;
      if (this.done[i] || trunc) {
        this.episodesFinished++;
        this.lengths[i] = 0;
        k.reset(this.nextSeed(), states, o);
      }
      k.observe(states, o, obs, i * this.obsDim);
    }
  }
}
