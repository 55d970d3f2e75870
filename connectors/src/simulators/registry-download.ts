import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { DEFAULT_COLUMNS, RESIDENT_FIELDS } from '../municipal-registry/config-schema.ts';
import { checkCharacter } from '../shared/tax-code.ts';
import type { Population, SimPerson } from './population.ts';

/**
 * A municipal registry download in the vendors' flat format (our reading of it, see
 * municipal-registry/config-schema.ts): from the population, for tests and the demo, or
 * synthetic and as large as asked, for the bench.
 */
export const HEADER = RESIDENT_FIELDS.map((f) => DEFAULT_COLUMNS[f]).join(';');

const ddmmyyyy = (iso: string | undefined | null) =>
  iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '';

export function rowOf(p: SimPerson, changedOn = '2026-11-30'): string {
  return [
    p.taxCode,
    p.lastName,
    p.firstName,
    p.sex,
    ddmmyyyy(p.birthDate),
    p.birthPlace.istat,
    '',
    '100',
    p.familyId,
    p.relation,
    p.residence.municipality.istat,
    `${p.residence.streetKind} ${p.residence.street}`,
    p.residence.number,
    p.residence.cap,
    ddmmyyyy(p.residence.since),
    p.deathDate ? '1' : '0',
    ddmmyyyy(p.deathDate),
    ddmmyyyy(changedOn),
  ].join(';');
}

/** The download of one municipality of the population. */
export function downloadOf(pop: Population, istat: string): string {
  return [
    HEADER,
    ...pop.persons.filter((p) => p.residence.municipality.istat === istat).map((p) => rowOf(p)),
  ].join('\n');
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MONTHS = 'ABCDEHLMPRST';
const three = (n: number) =>
  LETTERS[Math.floor(n / 676) % 26]! + LETTERS[Math.floor(n / 26) % 26]! + LETTERS[n % 26]!;
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Writes `rows` synthetic residents of one municipality, each with its own valid codice fiscale
 * (built from the row number), with backpressure. Every `badEvery`-th row is broken in one of
 * the ways a vendor export goes wrong.
 */
export async function writeSyntheticDownload(
  path: string,
  opts: {
    rows: number;
    municipalityIstat: string;
    cadastral: string;
    badEvery?: number;
    changedOn?: string;
  },
): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buf = `${HEADER}\n`;
  for (let i = 0; i < opts.rows; i++) {
    const year = 1930 + (i % 90);
    const month = (i >> 3) % 12;
    const day = 1 + (i % 28);
    const female = i % 2 === 1;
    const first15 = `${three(i % 17576)}${three(Math.floor(i / 17576) % 17576)}${pad2(year % 100)}${MONTHS[month]}${pad2(day + (female ? 40 : 0))}${opts.cadastral}`;
    let cf = first15 + checkCharacter(first15);
    let residence = opts.municipalityIstat;
    let birth = `${pad2(day)}/${pad2(month + 1)}/${year}`;
    if (opts.badEvery && i % opts.badEvery === opts.badEvery - 1) {
      const kind = Math.floor(i / opts.badEvery) % 3;
      if (kind === 0) cf = `${first15}${checkCharacter(first15) === 'A' ? 'B' : 'A'}`;
      else if (kind === 1) residence = '999999';
      else birth = '31/02/1980';
    }
    buf += `${cf};COGNOME${i % 997};NOME${i % 89};${female ? 'F' : 'M'};${birth};${opts.municipalityIstat};;100;F${Math.floor(i / 3)};${(i % 3) + 1};${residence};VIA DEL CORSO;${(i % 300) + 1};00186;01/01/2010;0;;${ddmmyyyy(opts.changedOn ?? '2026-11-30')}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
