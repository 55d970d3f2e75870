// Barthel index (modified, Shah 1989) as SISO's form lists it: items and scores from
// data/siso-code-tables/barthel_items.csv (SISO JsonBarthelMainDataBean, sections A–M).
// SISO adds the wheelchair item to ambulation and can exceed 100; the index scores ten items,
// wheelchair use standing in for ambulation only when the person cannot walk (ambulation 0).
import { CaseworkError } from '../../errors.ts';

export const BARTHEL_ITEMS = [
  { key: 'feeding', section: 'A', label: 'Alimentazione', scores: [10, 8, 5, 2, 0] },
  { key: 'bathing', section: 'B', label: 'Bagno/doccia (lavarsi)', scores: [5, 4, 3, 1, 0] },
  { key: 'grooming', section: 'C', label: 'Igiene personale', scores: [5, 4, 3, 1, 0] },
  { key: 'dressing', section: 'D', label: 'Abbigliamento', scores: [10, 8, 5, 2, 0] },
  { key: 'bowels', section: 'E', label: 'Continenza intestinale', scores: [10, 8, 5, 2, 0] },
  { key: 'bladder', section: 'F', label: 'Continenza urinaria', scores: [10, 8, 5, 2, 0] },
  { key: 'toiletUse', section: 'G', label: 'Uso del gabinetto', scores: [10, 8, 5, 2, 0] },
  {
    key: 'transfers',
    section: 'H',
    label: 'Trasferimento letto-carrozzina',
    scores: [15, 12, 8, 3, 0],
  },
  { key: 'ambulation', section: 'I', label: 'Deambulazione', scores: [15, 12, 8, 3, 0] },
  { key: 'stairs', section: 'L', label: 'Scale', scores: [10, 8, 5, 2, 0] },
] as const;

/** Section M: scored instead of ambulation when ambulation is 0. */
export const BARTHEL_WHEELCHAIR = {
  key: 'wheelchair',
  section: 'M',
  label: 'Uso della carrozzina',
  scores: [5, 4, 3, 1, 0],
} as const;

export type BarthelItemKey = (typeof BARTHEL_ITEMS)[number]['key'];
export type BarthelItems = Record<BarthelItemKey, number> & {
  wheelchair?: number | null | undefined;
};

export type BarthelBand = 'AUTONOMOUS' | 'MINIMAL' | 'MILD' | 'MODERATE' | 'SEVERE' | 'TOTAL';

/** Bands of SISO's legend, without its gap at 24. */
export const BARTHEL_BANDS: { band: BarthelBand; min: number; label: string }[] = [
  { band: 'AUTONOMOUS', min: 100, label: 'Autosufficiente' },
  { band: 'MINIMAL', min: 91, label: 'Quasi autosufficiente' },
  { band: 'MILD', min: 75, label: 'Dipendenza lieve' },
  { band: 'MODERATE', min: 50, label: 'Dipendenza moderata' },
  { band: 'SEVERE', min: 25, label: 'Dipendenza grave' },
  { band: 'TOTAL', min: 0, label: 'Dipendenza completa' },
];

export function barthelBand(score: number): BarthelBand {
  return BARTHEL_BANDS.find((b) => score >= b.min)!.band;
}

/**
 * Checks every item against its allowed scores and computes the index (0–100).
 * @param field path of the items object in the caller's input, for the error
 */
export function computeBarthel(
  items: Record<string, unknown>,
  field = 'input.items',
): { score: number; band: BarthelBand; items: BarthelItems } {
  const known = new Set<string>([...BARTHEL_ITEMS.map((i) => i.key), BARTHEL_WHEELCHAIR.key]);
  for (const key of Object.keys(items)) {
    if (!known.has(key))
      throw new CaseworkError(
        'BAD_USER_INPUT',
        `voce Barthel sconosciuta: ${key}`,
        `${field}.${key}`,
      );
  }
  const out = {} as BarthelItems;
  let score = 0;
  for (const item of BARTHEL_ITEMS) {
    const value = items[item.key];
    if (value === undefined || value === null) {
      throw new CaseworkError(
        'BAD_USER_INPUT',
        `manca la voce "${item.label}"`,
        `${field}.${item.key}`,
      );
    }
    if (typeof value !== 'number' || !(item.scores as readonly number[]).includes(value)) {
      throw new CaseworkError(
        'BARTHEL_OUT_OF_RANGE',
        `"${item.label}": punteggio ${String(value)} non previsto (ammessi ${item.scores.join(', ')})`,
        `${field}.${item.key}`,
      );
    }
    out[item.key] = value;
    if (item.key !== 'ambulation') score += value;
  }
  const wheelchair = items[BARTHEL_WHEELCHAIR.key];
  if (wheelchair !== undefined && wheelchair !== null) {
    if (
      typeof wheelchair !== 'number' ||
      !(BARTHEL_WHEELCHAIR.scores as readonly number[]).includes(wheelchair)
    ) {
      throw new CaseworkError(
        'BARTHEL_OUT_OF_RANGE',
        `"${BARTHEL_WHEELCHAIR.label}": punteggio ${String(wheelchair)} non previsto (ammessi ${BARTHEL_WHEELCHAIR.scores.join(', ')})`,
        `${field}.wheelchair`,
      );
    }
    if (out.ambulation !== 0) {
      throw new CaseworkError(
        'BARTHEL_OUT_OF_RANGE',
        "l'uso della carrozzina si valuta solo per chi non deambula (deambulazione 0)",
        `${field}.wheelchair`,
      );
    }
    out.wheelchair = wheelchair;
  }
  score += out.ambulation > 0 ? out.ambulation : (out.wheelchair ?? 0);
  return { score, band: barthelBand(score), items: out };
}
