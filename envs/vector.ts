/**
 * A vectorised runner: N copies ("rows") of one environment stepping together, with one Float32Array of
 * N × obsDim observations (what a batched policy consumes) and auto-reset when a row terminates or reaches
 * the horizon (truncation).
 *
 * Seeds: row i's k-th episode starts from env.reset(episodeSeed(seed, i, k)), so a row's trajectory does not
 * depend on the other rows, and a run is reproduced from (seed, actions) alone.
 *
 * Two paths with identical results: environments with a FastKernel (discrete actions) keep all states in one
 * Float64Array and step without allocating; the others step their JSON states with `env.step` (which
 * allocates the new state) and write observations in place when the env has `observeInto`.
 * The step's outputs live in arrays owned by the runner and are overwritten by the next step.
 */
import { EnvInputError } from './types';
import type { Action, Env, EpisodeSummary, FastKernel } from './types';

/** murmur3's 32-bit finaliser: a cheap, well-mixing hash. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The reset seed (a non-negative 31-bit integer) of row `row`'s `episode`-th episode in a run seeded by `seed`. */
export function episodeSeed(seed: number, row: number, episode: number): number {
  return fmix32(fmix32(fmix32(seed >>> 0) ^ row) ^ Math.imul(episode + 1, 0x9e3779b1)) & 0x7fffffff;
}

/** What one vectorised step returns (arrays of length N, overwritten by the next step). */
export interface VectorStep {
  rewards: Float64Array;
  /** 1 where the row's episode terminated at this step (the row has been reset). */
  terminated: Uint8Array;
  /** 1 where the row reached the horizon without terminating (the row has been reset). */
  truncated: Uint8Array;
  /** For rows that finished at this step: the finished episode's return and length (0 elsewhere). */
  episodeReturn: Float64Array;
  episodeLength: Int32Array;
  /** How many rows finished at this step. */
  finished: number;
}

export interface VectorOptions {
  /** Use the environment's FastKernel when it has one (default true). */
  fast?: boolean;
}

export class VectorEnv<S = unknown> implements VectorStep {
  readonly obsDim: number;
  /** Row i's current observation at [i·obsDim, (i+1)·obsDim); after a reset, the new episode's first one. */
  readonly obs: Float32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly episodeReturn: Float64Array;
  readonly episodeLength: Int32Array;
  finished = 0;
  /** Episodes finished since construction. */
  episodesFinished = 0;
  /** Whether this runner steps through the environment's FastKernel. */
  readonly usesFastKernel: boolean;

  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private readonly episodeIndex: Int32Array;
  private readonly kernel: FastKernel | null;
  /** Fast path: all states, stateSize numbers per row. */
  private readonly buf: Float64Array;
  /** Generic path: one JSON state per row. */
  private readonly states: S[];

  constructor(
    readonly env: Env<S>,
    readonly n: number,
    readonly seed: number,
    options: VectorOptions = {},
  ) {
    if (!Number.isInteger(n) || n < 1) throw new EnvInputError(`VectorEnv: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(seed)) throw new EnvInputError(`VectorEnv: seed must be an integer, got ${seed}`);
    this.kernel = options.fast !== false && env.fast && env.actionSpace.kind === 'discrete' ? env.fast : null;
    this.usesFastKernel = this.kernel !== null;
    this.obsDim = env.observationSpace.size;
    this.obs = new Float32Array(n * this.obsDim);
    this.rewards = new Float64Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.episodeReturn = new Float64Array(n);
    this.episodeLength = new Int32Array(n);
    this.returns = new Float64Array(n);
    this.lengths = new Int32Array(n);
    this.episodeIndex = new Int32Array(n);
    this.buf = new Float64Array(this.kernel ? n * this.kernel.stateSize : 0);
    this.states = [];
    for (let i = 0; i < n; i++) this.resetRow(i);
  }

  /** The reset seed of row i's current episode. */
  currentSeed(i: number): number {
    return episodeSeed(this.seed, i, this.episodeIndex[i]!);
  }

  /** Row i's current state, as `env.step` would have returned it. */
  state(i: number): S {
    if (i < 0 || i >= this.n) throw new EnvInputError(`VectorEnv: row ${i} is outside 0..${this.n - 1}`);
    if (!this.kernel) return this.states[i]!;
    const ss = this.kernel.stateSize;
    if (this.kernel.read) return this.kernel.read(this.buf, i * ss) as S;
    return Array.from(this.buf.subarray(i * ss, (i + 1) * ss)) as S;
  }

  /**
   * Steps every row with its action (actions[i] for row i). Rows that finish are reset; their `obs` row is
   * the new episode's first observation and their summary is in episodeReturn / episodeLength.
   */
  step(actions: ArrayLike<Action>): VectorStep {
    if (actions.length !== this.n) throw new EnvInputError(`VectorEnv: expected ${this.n} actions, got ${actions.length}`);
    this.finished = 0;
    if (this.kernel) this.stepFast(this.kernel, actions as ArrayLike<number>);
    else this.stepGeneric(actions);
    return this;
  }

  /** Summaries of the episodes that finished at the last step (allocates; for use outside hot loops). */
  finishedEpisodes(): (EpisodeSummary & { row: number })[] {
    const out: (EpisodeSummary & { row: number })[] = [];
    for (let i = 0; i < this.n; i++) {
      if (this.terminated[i] || this.truncated[i]) {
        out.push({ row: i, return: this.episodeReturn[i]!, length: this.episodeLength[i]!, terminated: this.terminated[i] === 1, truncated: this.truncated[i] === 1 });
      }
    }
    return out;
  }

  private stepFast(k: FastKernel, actions: ArrayLike<number>): void {
    const { buf, obs, n, obsDim, rewards, terminated, truncated, returns, lengths } = this;
    const ss = k.stateSize;
    const horizon = this.env.horizon;
    const nActions = (this.env.actionSpace as { n: number }).n;
    for (let i = 0; i < n; i++) {
      const a = actions[i]!;
      if (!(a >= 0 && a < nActions && (a | 0) === a)) {
        throw new EnvInputError(`${this.env.id}: action for row ${i} must be an integer in 0..${nActions - 1}, got ${a}`);
      }
    }
    for (let i = 0; i < n; i++) {
      const o = i * ss;
      terminated[i] = 0;
      const r = k.step(buf, o, actions[i]!, terminated, i);
      rewards[i] = r;
      const ret = (returns[i] = returns[i]! + r);
      const len = (lengths[i] = lengths[i]! + 1);
      const trunc = terminated[i] === 0 && len >= horizon;
      truncated[i] = trunc ? 1 : 0;
      if (terminated[i] === 1 || trunc) {
        this.episodeReturn[i] = ret;
        this.episodeLength[i] = len;
        this.finished++;
        this.episodesFinished++;
        this.episodeIndex[i]!++;
        this.resetRow(i);
      } else {
        this.episodeReturn[i] = 0;
        this.episodeLength[i] = 0;
        k.observe(buf, o, obs, i * obsDim);
      }
    }
  }

  private stepGeneric(actions: ArrayLike<Action>): void {
    const { env, n, rewards, terminated, truncated, returns, lengths, states } = this;
    for (let i = 0; i < n; i++) {
      const r = env.step(states[i]!, actions[i]!);
      rewards[i] = r.reward;
      const ret = (returns[i] = returns[i]! + r.reward);
      const len = (lengths[i] = lengths[i]! + 1);
      const trunc = !r.terminated && len >= env.horizon;
      terminated[i] = r.terminated ? 1 : 0;
      truncated[i] = trunc ? 1 : 0;
      if (r.terminated || trunc) {
        this.episodeReturn[i] = ret;
        this.episodeLength[i] = len;
        this.finished++;
        this.episodesFinished++;
        this.episodeIndex[i]!++;
        this.resetRow(i);
      } else {
        this.episodeReturn[i] = 0;
        this.episodeLength[i] = 0;
        states[i] = r.state;
        this.writeObs(i);
      }
    }
  }

  private resetRow(i: number): void {
    const seed = this.currentSeed(i);
    this.returns[i] = 0;
    this.lengths[i] = 0;
    if (this.kernel) {
      const o = i * this.kernel.stateSize;
      this.kernel.reset(seed, this.buf, o);
      this.kernel.observe(this.buf, o, this.obs, i * this.obsDim);
    } else {
      this.states[i] = this.env.reset(seed);
      this.writeObs(i);
    }
  }

  private writeObs(i: number): void {
    const s = this.states[i]!;
    if (this.env.observeInto) this.env.observeInto(s, this.obs, i * this.obsDim);
    else this.obs.set(this.env.observe(s), i * this.obsDim);
  }
}
