/**
 * Minari datasets (Farama Minari ≥ 0.5, HDF5 storage): a folder `data/` with `main_data.hdf5`, one group
 * `episode_{id}` per episode, and `metadata.json`. Names and types follow Minari's own writer
 * (minari/dataset/_storages/hdf5_storage.py, minari_storage.py, serialization.py), so `minari.load_dataset`
 * and plain h5py read the export as is. The HDF5 file is written with h5wasm (the HDF5 C library compiled
 * to WebAssembly); no database access here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Action, ActionSpace, BoxSpace } from '@/envs/types';
import { zipStore } from './npz';

/** The Minari release whose dataset layout this writer follows; Minari 0.5.0 and later read it. */
export const MINARI_VERSION = '0.5.0';

export interface MinariEpisode {
  /** The environment's reset seed, when known (Minari's optional `seed` attribute). */
  seed: number | null;
  /** T + 1 rows: the observation before each step, then one after the last. */
  observations: number[][];
  /** T actions. */
  actions: Action[];
  rewards: number[];
  terminations: boolean[];
  truncations: boolean[];
  /** Extra per-step datasets (T entries each) that Minari's loader does not read. */
  extra: Record<string, ExtraColumn>;
  /** Extra integer attributes of the episode group (Minari returns them as episode metadata). */
  attrs?: Record<string, number>;
}

export type ExtraColumn = { dtype: 'int64' | 'float64'; values: number[] } | { dtype: 'string'; values: string[] };

export interface MinariSpaces {
  observation: BoxSpace;
  action: ActionSpace;
}

/**
 * A float the way Python's `json.dumps` writes it (repr, `Infinity`/`NaN` tokens), so a serialised space
 * reads back in `json.loads` exactly as Minari's own `serialize_space` output would.
 */
function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  const a = Math.abs(v);
  // Python's repr switches to exponent notation below 1e-4 and from 1e16, and pads the exponent to 2 digits.
  if (a >= 1e16 || (a !== 0 && a < 1e-4)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  const s = String(v);
  return s.includes('.') ? s : `${s}.0`;
}

/** A space as Minari serialises it (a JSON string: Box float32 or Discrete int64, start 0). */
export function serializeSpace(space: BoxSpace | ActionSpace): string {
  if (space.kind === 'discrete') return `{"type": "Discrete", "dtype": "int64", "start": 0, "n": ${space.n}}`;
  // Gymnasium's Box.low.tolist() of a float32 space: each bound rounded to float32.
  const list = (xs: number[]) => `[${xs.map((x) => pyFloat(Math.fround(x))).join(', ')}]`;
  return `{"type": "Box", "dtype": "float32", "shape": [${space.size}], "low": ${list(space.low)}, "high": ${list(space.high)}}`;
}

const RESERVED = new Set(['observations', 'actions', 'rewards', 'terminations', 'truncations', 'infos']);

/** Shape checks: an episode with T actions has T + 1 observations and T of everything else. */
export function checkEpisode(ep: MinariEpisode, spaces: MinariSpaces, index: number): void {
  const T = ep.actions.length;
  const fail = (msg: string) => {
    throw new Error(`minari: episode ${index}: ${msg}`);
  };
  if (T === 0) fail('has no steps');
  if (ep.observations.length !== T + 1) fail(`${T} actions need ${T + 1} observations, got ${ep.observations.length}`);
  ep.observations.forEach((o, i) => {
    if (o.length !== spaces.observation.size) fail(`observation ${i} has ${o.length} values; the observation space has ${spaces.observation.size}`);
  });
  const act = spaces.action;
  ep.actions.forEach((a, i) => {
    const fits = act.kind === 'discrete' ? Number.isInteger(a) && (a as number) >= 0 && (a as number) < act.n : Array.isArray(a) && a.length === act.size;
    if (!fits) {
      fail(`action ${i} (${JSON.stringify(a)}) does not fit the ${act.kind === 'discrete' ? `Discrete(${act.n})` : `Box(${act.size})`} action space`);
    }
  });
  const perStep: [string, unknown[]][] = [
    ['rewards', ep.rewards],
    ['terminations', ep.terminations],
    ['truncations', ep.truncations],
    ...Object.entries(ep.extra).map(([k, c]): [string, unknown[]] => [k, c.values]),
  ];
  for (const [name, xs] of perStep) if (xs.length !== T) fail(`${name} has ${xs.length} entries, expected ${T}`);
  for (const [name, c] of Object.entries(ep.extra)) {
    if (RESERVED.has(name)) fail(`${name} is one of Minari's own datasets`);
    if (c.dtype === 'int64' && !c.values.every(Number.isSafeInteger)) fail(`${name} must hold integers`);
  }
}

type H5Module = typeof import('h5wasm/node');
let h5: Promise<H5Module> | null = null;
/** h5wasm instantiates a few MB of WebAssembly: load it on the first export, not at import time. */
function loadH5wasm(): Promise<H5Module> {
  h5 ??= import('h5wasm/node').then(
    async (m) => {
      await m.ready;
      return m;
    },
    (err: unknown) => {
      h5 = null; // let the next export try again
      throw err;
    },
  );
  return h5;
}

/**
 * `main_data.hdf5` bytes. h5wasm writes to the host filesystem, so the file goes to a temporary folder
 * that is removed afterwards. Terminations and truncations are uint8 0/1: h5py stores numpy bool as an
 * HDF5 enum type, which h5wasm cannot create.
 */
export async function encodeMinariHdf5(episodes: MinariEpisode[], spaces: MinariSpaces): Promise<Buffer> {
  episodes.forEach((ep, i) => checkEpisode(ep, spaces, i));
  const { File } = await loadH5wasm();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minari-'));
  const file = path.join(dir, 'main_data.hdf5');
  try {
    // Like Minari's writer (h5py.File(..., track_order=True)): episodes list in the order they were added.
    const f = new File(file, 'w', { track_order: true });
    try {
      const obsDim = spaces.observation.size;
      episodes.forEach((ep, id) => {
        const T = ep.actions.length;
        const g = f.create_group(`episode_${id}`);
        g.create_attribute('id', BigInt64Array.of(BigInt(id)), [], '<q');
        if (ep.seed !== null) g.create_attribute('seed', BigInt64Array.of(BigInt(ep.seed)), [], '<q');
        g.create_attribute('total_steps', BigInt64Array.of(BigInt(T)), [], '<q');
        for (const [k, v] of Object.entries(ep.attrs ?? {})) g.create_attribute(k, BigInt64Array.of(BigInt(v)), [], '<q');
        // Chunked and extensible along the step axis, as Minari creates them (chunks=True, maxshape=(None, ...)).
        const put = (name: string, data: Float32Array | Float64Array | BigInt64Array | Uint8Array | string[], dtype: string, shape: number[]) =>
          g.create_dataset({ name, data, dtype, shape, maxshape: [null, ...shape.slice(1)], chunks: [Math.min(shape[0]!, 1024), ...shape.slice(1)] });
        put('observations', Float32Array.from(ep.observations.flat()), '<f', [T + 1, obsDim]);
        if (spaces.action.kind === 'discrete') put('actions', BigInt64Array.from(ep.actions.map((a) => BigInt(a as number))), '<q', [T]);
        else put('actions', Float32Array.from(ep.actions.flat()), '<f', [T, spaces.action.size]);
        put('rewards', Float64Array.from(ep.rewards), '<d', [T]);
        put('terminations', Uint8Array.from(ep.terminations, Number), '<B', [T]);
        put('truncations', Uint8Array.from(ep.truncations, Number), '<B', [T]);
        // Minari's DataCollector always stores the env's info dicts as a group; ours are empty. Without the group
        // Minari hands out `infos=None`, which its EpisodeData.__repr__ cannot print.
        g.create_group('infos');
        for (const [name, c] of Object.entries(ep.extra)) {
          if (c.dtype === 'string') put(name, c.values, 'S', [T]); // variable-length UTF-8, like h5py's string_dtype()
          else if (c.dtype === 'int64') put(name, BigInt64Array.from(c.values, (x) => BigInt(x)), '<q', [T]);
          else put(name, Float64Array.from(c.values), '<d', [T]);
        }
      });
    } finally {
      f.close();
    }
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface MinariDatasetInput {
  /** `(namespace/)name-v(version)`, the form Minari's parse_dataset_id accepts. */
  datasetId: string;
  episodes: MinariEpisode[];
  spaces: MinariSpaces;
  /** Further metadata keys (description, algorithm_name, a tool's own section...). */
  metadata?: Record<string, unknown>;
}

const DATASET_ID_RE = /^(?:[-_\w][-_\w/]*[-_\w]+\/)?[-_\w]+?-v\d+$/;

/** `metadata.json` as Minari writes it: counts, format, spaces as serialised strings, version. */
function checkDatasetId(id: string): void {
  if (!DATASET_ID_RE.test(id)) throw new Error(`minari: dataset id ${JSON.stringify(id)} is not of the form (namespace/)name-v(version)`);
}

export function minariMetadata(input: MinariDatasetInput, hdf5Bytes: number): Record<string, unknown> {
  checkDatasetId(input.datasetId);
  return {
    dataset_id: input.datasetId,
    total_episodes: input.episodes.length,
    total_steps: input.episodes.reduce((n, ep) => n + ep.actions.length, 0),
    data_format: 'hdf5',
    observation_space: serializeSpace(input.spaces.observation),
    action_space: serializeSpace(input.spaces.action),
    minari_version: MINARI_VERSION,
    // Minari's get_size(): megabytes rounded to one decimal.
    dataset_size: Math.round(hdf5Bytes / 1e5) / 10,
    ...input.metadata,
  };
}

/** A stored zip holding `data/main_data.hdf5` and `data/metadata.json`: unzip it into a Minari dataset folder. */
export async function encodeMinariZip(input: MinariDatasetInput): Promise<Buffer> {
  checkDatasetId(input.datasetId);
  const hdf5 = await encodeMinariHdf5(input.episodes, input.spaces);
  const metadata = minariMetadata(input, hdf5.length);
  return zipStore([
    { name: 'data/main_data.hdf5', data: hdf5 },
    { name: 'data/metadata.json', data: Buffer.from(JSON.stringify(metadata, null, 2) + '\n', 'utf8') },
  ]);
}
