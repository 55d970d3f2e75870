import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyedHash, createPseudonymizer, createPseudonymText } from './pseudonym.ts';

const nodeHmac = (key: string, input: string) =>
  createHmac('sha256', key).update(input).digest().readBigInt64BE(0);

describe('keyed pseudonyms', () => {
  it('should equal the first 8 bytes of Node HMAC-SHA256 for every key and input length', () => {
    const keys = [
      'test-pseudonym-key-0123456789',
      'k'.repeat(64),
      'l'.repeat(65),
      'chiave-è-ùnica-0123',
    ];
    // Around the one-block limit (55 bytes) and past it, non-ASCII, empty, and real references.
    const inputs = [
      '',
      'person:RSSMRA80A01H501U',
      'x'.repeat(54),
      'x'.repeat(55),
      'x'.repeat(56),
      'x'.repeat(64),
      'x'.repeat(300),
      'person:Niccolò',
      ...Array.from({ length: 2000 }, (_, i) => `delivery:${randomUUID()}`.slice(0, 9 + (i % 40))),
    ];
    for (const key of keys) {
      const fast = createKeyedHash(key);
      const wrong = inputs.filter((s) => fast(s) !== nodeHmac(key, s));
      expect(wrong).toEqual([]);
    }
  });

  it('should give the same pseudonyms as text, a person once per run', () => {
    const key = 'test-pseudonym-key-0123456789';
    const text = createPseudonymText(key);
    const pseudonym = createPseudonymizer(key);
    const id = randomUUID();
    expect(text.person('RSSMRA80A01H501U')).toBe(String(nodeHmac(key, 'person:RSSMRA80A01H501U')));
    expect(text.person('RSSMRA80A01H501U')).toBe(String(pseudonym('person', 'RSSMRA80A01H501U')));
    expect(text.record('delivery', id)).toBe(String(nodeHmac(key, `delivery:${id}`)));
    expect(text.repeats('case')(id)).toBe(String(nodeHmac(key, `case:${id}`)));
    // Another key, another pseudonym: the key is what makes them unguessable.
    expect(createPseudonymText(`${key}!`).person('RSSMRA80A01H501U')).not.toBe(
      text.person('RSSMRA80A01H501U'),
    );
  });

  it('should refuse a short key', () => {
    expect(() => createKeyedHash('short')).toThrow(/at least 16/);
  });
});
