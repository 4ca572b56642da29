/** Reading an external project's declared observation and action spaces from the new-project form. */

export type Spaces = {
  observation: { size: number };
  action: { kind: 'discrete'; n: number; names?: string[] } | { kind: 'box'; size: number; low: number[]; high: number[] };
};

/** The spaces an external project declares, read from the form; field errors where a value does not parse. */
export function declaredSpaces(f: FormData, kind: 'discrete' | 'box'): { spaces: Spaces } | { errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const int = (name: string, field: string, min: number, max: number) => {
    const v = Number(f.get(name));
    if (!Number.isInteger(v) || v < min || v > max) errors[field] = [`A whole number from ${min} to ${max}`];
    return v;
  };
  const size = int('obsSize', 'config.spaces.observation.size', 1, 100_000);
  if (kind === 'discrete') {
    const n = int('actionN', 'config.spaces.action.n', 2, 64);
    const names = String(f.get('actionNames') ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (names.length && names.length !== n) errors['config.spaces.action.names'] = [`Give ${n} names, or none`];
    return Object.keys(errors).length ? { errors } : { spaces: { observation: { size }, action: { kind, n, ...(names.length ? { names } : {}) } } };
  }
  const dims = int('actionSize', 'config.spaces.action.size', 1, 64);
  const bounds = (name: string, field: string) => {
    const parts = String(f.get(name) ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(Number);
    if (parts.length === 0 || parts.some((x) => !Number.isFinite(x)) || (parts.length !== 1 && parts.length !== dims)) {
      errors[field] = [`One number, or ${dims} comma-separated numbers`];
      return [];
    }
    return parts.length === 1 ? Array<number>(dims).fill(parts[0]!) : parts;
  };
  const low = bounds('actionLow', 'config.spaces.action.low');
  const high = bounds('actionHigh', 'config.spaces.action.high');
  if (!errors['config.spaces.action.low'] && !errors['config.spaces.action.high'] && low.some((l, i) => !(l < high[i]!))) {
    errors['config.spaces.action.high'] = ['Each high bound must be above its low bound'];
  }
  return Object.keys(errors).length ? { errors } : { spaces: { observation: { size }, action: { kind, size: dims, low, high } } };
}

