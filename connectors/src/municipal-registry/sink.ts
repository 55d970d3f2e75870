import type { ResidentRow } from './map-row.ts';

/**
 * Where validated rows go. The connector decides nothing about storage: casework implements
 * this over its person store. `upsert` must key on the codice fiscale, so that importing the
 * same download again updates rather than duplicates; `digest` lets it skip unchanged rows.
 */
export interface ResidentSink {
  upsert(batch: ResidentRow[]): Promise<{ inserted: number; updated: number; unchanged: number }>;
}

/** Keeps the rows in memory: for tests and small downloads. */
export function createMemoryResidentSink(): ResidentSink & { rows: Map<string, ResidentRow> } {
  const rows = new Map<string, ResidentRow>();
  return {
    rows,
    async upsert(batch) {
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      for (const r of batch) {
        const old = rows.get(r.taxCode);
        if (!old) inserted++;
        else if (old.digest === r.digest) unchanged++;
        else updated++;
        rows.set(r.taxCode, r);
      }
      return { inserted, updated, unchanged };
    },
  };
}

/**
 * Remembers only which codici fiscali it has seen and each row's digest, in typed arrays
 * (12 bytes a slot, 4 194 304 slots by default: 50 MB for up to 3.5 million residents): how the bench checks that a 3-million-row re-import changes
 * nothing, without holding 3 million rows. Keys are 64-bit hashes of the code (two FNV
 * variants); at this size a collision has a probability of about one in four million.
 */
export function createDigestIndexSink(capacityPow2 = 22): ResidentSink & { size(): number } {
  const cap = 1 << capacityPow2;
  const mask = cap - 1;
  const keyA = new Uint32Array(cap);
  const keyB = new Uint32Array(cap);
  const digests = new Uint32Array(cap);
  let size = 0;
  // Two 32-bit hashes of the code, each finished with murmur3's fmix32 so that codes differing
  // in a letter or two spread over the whole table (linear probing needs it).
  const fmix = (h: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return {
    size: () => size,
    async upsert(batch) {
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      for (const r of batch) {
        let a = 0x811c9dc5;
        let b = 0x9747b28c;
        const code = r.taxCode;
        for (let k = 0; k < code.length; k++) {
          const c = code.charCodeAt(k);
          a = Math.imul(a ^ c, 0x01000193);
          b = Math.imul(b ^ c, 0x5bd1e995);
        }
        a = fmix(a);
        // (0, 0) marks an empty slot, so no key may be (0, 0).
        b = (fmix(b) | 1) >>> 0;
        let i = a & mask;
        while (keyB[i] !== 0 && (keyA[i] !== a || keyB[i] !== b)) i = (i + 1) & mask;
        if (keyB[i] === 0) {
          if (size >= cap * 0.85) throw new Error('digest index full: raise capacityPow2');
          keyA[i] = a;
          keyB[i] = b;
          digests[i] = r.digest;
          size++;
          inserted++;
        } else if (digests[i] === r.digest) unchanged++;
        else {
          digests[i] = r.digest;
          updated++;
        }
      }
      return { inserted, updated, unchanged };
    },
  };
}
