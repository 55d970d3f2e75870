import { describe, expect, it } from 'vitest';
import { createAuditGate, createBackoff, sourceKey } from './throttle.ts';

describe('throttles', () => {
  it('should let the free failures through, then double the wait up to the maximum', () => {
    let t = 0;
    const b = createBackoff({ free: 2, baseSeconds: 1, maxSeconds: 5 }, () => t);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      b.fail('k');
      waits.push(b.wait('k'));
    }
    expect(waits).toEqual([0, 0, 1, 2, 4, 5]);
    t += 5000;
    expect(b.wait('k')).toBe(0);
    b.succeed('k');
    b.fail('k');
    expect(b.wait('k')).toBe(0);
  });

  it('should write an allowance of audit rows a minute per source, then say how many it left out', () => {
    let t = 0;
    const gate = createAuditGate(2, () => t);
    const seen = Array.from({ length: 5 }, () => gate.admit('s').write);
    expect(seen).toEqual([true, true, false, false, false]);
    expect(gate.admit('other').write).toBe(true);
    t += 30_000;
    expect(gate.admit('s')).toEqual({ write: true, suppressed: 3 });
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::7', '2001:db8:0:0::/64'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
  ])('should count %s as the source %s', (ip, key) => {
    expect(sourceKey({ ip, userAgent: null })).toBe(key);
  });
});
