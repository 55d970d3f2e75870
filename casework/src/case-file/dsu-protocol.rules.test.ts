import { describe, expect, it } from 'vitest';
import { CaseworkError } from '../errors.ts';
import { checkDsuProtocol, isDsuProtocol } from './dsu-protocol.rules.ts';

describe('the DSU protocol number', () => {
  it.each([
    'INPS-ISEE-2026-00001234A-00',
    'INPS-ISEE-2019-99999999Z-99',
    'INPS-ISEE-2026-68498060O-80',
  ])('should take %s, as INPS writes it', (v) => {
    expect(isDsuProtocol(v)).toBe(true);
    expect(() => checkDsuProtocol(v, 'input.dsuProtocol')).not.toThrow();
  });

  it.each([
    ['nine digits (the old demo’s)', 'INPS-ISEE-2026-000000001A-00'],
    ['seven digits', 'INPS-ISEE-2026-0000001A-00'],
    ['no letter', 'INPS-ISEE-2026-00000001-00'],
    ['a lower-case letter', 'INPS-ISEE-2026-00000001a-00'],
    ['a two-digit year', 'INPS-ISEE-26-00000001A-00'],
    ['one final digit', 'INPS-ISEE-2026-00000001A-0'],
    ['another prefix', 'INPS-DSU-2026-00000001A-00'],
    ['spaces around it', ' INPS-ISEE-2026-00000001A-00'],
    ['a trailing line', 'INPS-ISEE-2026-00000001A-00\n'],
    ['empty', ''],
  ])('should refuse %s with DSU_PROTOCOL_INVALID naming the field', (_, v) => {
    expect(isDsuProtocol(v)).toBe(false);
    let err: unknown;
    try {
      checkDsuProtocol(v, 'input.isee.dsuProtocol');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CaseworkError);
    expect(err).toMatchObject({ code: 'DSU_PROTOCOL_INVALID', field: 'input.isee.dsuProtocol' });
  });

  it('should leave an absent protocol alone', () => {
    expect(() => checkDsuProtocol(null, 'input.dsuProtocol')).not.toThrow();
    expect(() => checkDsuProtocol(undefined, 'input.dsuProtocol')).not.toThrow();
  });
});
