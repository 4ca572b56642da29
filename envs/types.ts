/**
 * The one interface every environment implements.
 *
 * Environments are pure: `reset` and `step` take and return plain JSON-serialisable states, so any
 * visited state can be stored in the database and rendered or resumed later. Nothing here imports Node,
 * the DOM, Next or the database.
 */

/** A discrete action space: actions are integers 0..n-1. */
export interface DiscreteSpace {
  kind: 'discrete';
  n: number;
  /** Human-readable name per action ("left", "noop", ...). */
  names: string[];
  /** Default keyboard key per action, as KeyboardEvent.key values ("ArrowLeft", "a", ...). */
  keys: string[];
}

/** A box (continuous) space of one dimension per entry. */
export interface BoxSpace {
  kind: 'box';
  /** Number of dimensions. */
  size: number;
  low: number[];
  high: number[];
  names: string[];
}

export type ActionSpace = DiscreteSpace | BoxSpace;

/** A discrete action is its index; a continuous action is one number per dimension. */
export type Action = number | number[];

export interface StepResult<S> {
  state: S;
  reward: number;
  /** The MDP reached a terminal state (failure or goal). */
  terminated: boolean;
  /** Always false from `step`; the runner sets it when the horizon is reached. */
  truncated: boolean;
}

export interface RenderOptions {
  /** Draw this action on top of the state (e.g. the policy's action as an arrow). */
  action?: Action;
  /** Colour of the action overlay; defaults to an environment-chosen accent. */
  actionColor?: string;
  /** Optional label drawn in a corner (e.g. "t = 37"). */
  caption?: string;
}

/** The subset of CanvasRenderingContext2D the renderers use (works with DOM canvas and @napi-rs/canvas). */
export type Ctx2D = Pick<
  CanvasRenderingContext2D,
  | 'canvas'
  | 'save'
  | 'restore'
  | 'translate'
  | 'rotate'
  | 'scale'
  | 'beginPath'
  | 'closePath'
  | 'moveTo'
  | 'lineTo'
  | 'arc'
  | 'rect'
  | 'fill'
  | 'stroke'
  | 'fillRect'
  | 'strokeRect'
  | 'clearRect'
  | 'fillText'
  | 'setTransform'
  | 'quadraticCurveTo'
> & {
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  globalAlpha: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
};

export interface EpisodeSummary {
  return: number;
  length: number;
  terminated: boolean;
  truncated: boolean;
}

/**
 * Optional allocation-free kernel over a flat Float64Array of states (discrete actions), used by the
 * vectorised runner's fast path. It must agree exactly with `step` / `observe`.
 */
export interface FastKernel {
  stateSize: number;
  /** Writes reset(seed) at offset o. */
  reset(seed: number, s: Float64Array, o: number): void;
  /** Steps the state at offset o in place; returns the reward and sets done[i] = 1 on termination. */
  step(s: Float64Array, o: number, action: number, done: Uint8Array, i: number): number;
  observe(s: Float64Array, o: number, out: Float32Array, oo: number): void;
  /** The plain state stored at offset o (what `step` would have returned). Optional. */
  read?(s: Float64Array, o: number): unknown;
}

export interface Env<S = unknown> {
  /** Allocation-free stepping for the vectorised runner (optional). */
  fast?: FastKernel;
  id: string;
  /** Observation space (always a box of float32 values). */
  observationSpace: BoxSpace;
  actionSpace: ActionSpace;
  /** Steps before truncation (Gymnasium's max_episode_steps). */
  horizon: number;
  /** Gymnasium's reward_threshold, or null where the env has none. */
  rewardThreshold: number | null;
  /** Seconds of simulated time per step (for real-time play in the browser). */
  dt: number;
  /** Seeded initial state. Same seed → same state. */
  reset(seed: number): S;
  /** One transition. Throws EnvInputError on an invalid action or state. */
  step(state: S, action: Action): StepResult<S>;
  /** The float32 observation of a state. */
  observe(state: S): Float32Array;
  /** Writes observe(state) into out at offset o without allocating (optional; the vector runner uses it). */
  observeInto?(state: S, out: Float32Array, o: number): void;
  /** The scripted expert's action for a state. */
  expert(state: S): Action;
  /** Whether a finished episode counts as a success (reached goal / survived / above threshold). */
  success(episode: EpisodeSummary): boolean;
  /** Validates an untrusted JSON value as a state of this environment (throws EnvInputError). */
  parseState(value: unknown): S;
  /** Draws the state on a 2-D canvas context, scaled to ctx.canvas.width × height. */
  render(ctx: Ctx2D, state: S, options?: RenderOptions): void;
}

/** Bad input to an environment: wrong action, NaN, state of the wrong shape. */
export class EnvInputError extends Error {
  override name = 'EnvInputError';
}
