import { describe, expect, it } from 'vitest';
import { declaredSpaces } from './declared-spaces';

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe('declared spaces of an external project', () => {
  it('reads a discrete space with names', () => {
    expect(declaredSpaces(form({ obsSize: '8', actionN: '3', actionNames: 'left, noop ,right' }), 'discrete')).toEqual({
      spaces: { observation: { size: 8 }, action: { kind: 'discrete', n: 3, names: ['left', 'noop', 'right'] } },
    });
    expect(declaredSpaces(form({ obsSize: '8', actionN: '3', actionNames: '' }), 'discrete')).toEqual({
      spaces: { observation: { size: 8 }, action: { kind: 'discrete', n: 3 } },
    });
  });

  it('spreads one bound over every dimension of a box, or takes one per dimension', () => {
    expect(declaredSpaces(form({ obsSize: '4', actionSize: '3', actionLow: '-2', actionHigh: '1, 2, 3' }), 'box')).toEqual({
      spaces: { observation: { size: 4 }, action: { kind: 'box', size: 3, low: [-2, -2, -2], high: [1, 2, 3] } },
    });
  });

  it('names the field at fault', () => {
    expect(declaredSpaces(form({ obsSize: '0', actionN: '2' }), 'discrete')).toEqual({ errors: { 'config.spaces.observation.size': [expect.any(String)] } });
    expect(declaredSpaces(form({ obsSize: '4', actionN: '3', actionNames: 'a,b' }), 'discrete')).toEqual({ errors: { 'config.spaces.action.names': ['Give 3 names, or none'] } });
    expect(declaredSpaces(form({ obsSize: '4', actionSize: '2', actionLow: '0,1,2', actionHigh: 'x' }), 'box')).toEqual({
      errors: { 'config.spaces.action.low': [expect.any(String)], 'config.spaces.action.high': [expect.any(String)] },
    });
    expect(declaredSpaces(form({ obsSize: '4', actionSize: '2', actionLow: '1', actionHigh: '1' }), 'box')).toEqual({
      errors: { 'config.spaces.action.high': ['Each high bound must be above its low bound'] },
    });
  });
});
