import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonyms: the first 8 bytes of HMAC-SHA256(key, "<kind>:<reference>") as a signed
 * BIGINT. The key stays in the ETL's memory and never enters the warehouse, so nobody who holds
 * the DuckDB file can recompute a pseudonym from a codice fiscale or an id. A person's reference
 * is the codice fiscale when known (the same person registered by two comuni counts once in a
 * region), the person id otherwise; a record's is its id. At a million persons the chance of two
 * sharing a pseudonym is about 3 in 10^8.
 */
export function createPseudonymizer(key: string) {
  if (key.length < 16) throw new Error('PSEUDONYM_KEY must be at least 16 characters');
  const cache = new Map<string, bigint>();
  return (
    kind: 'person' | 'intake' | 'case' | 'care_plan' | 'delivery',
    reference: string,
  ): bigint => {
    const input = `${kind}:${reference}`;
    let value = cache.get(input);
    if (value === undefined) {
      value = createHmac('sha256', key).update(input).digest().readBigInt64BE(0);
      if (cache.size > 2_000_000) cache.clear();
      cache.set(input, value);
    }
    return value;
  };
}
export type Pseudonymizer = ReturnType<typeof createPseudonymizer>;
