import type { CubeAnswer, Disclosure } from './cube-api.ts';

// One table shape behind every chart's table alternative, the pivot and every export (CSV, XLSX,
// PDF), so that a suppressed cell reads the same everywhere: "oscurato", with its reason.

export const SUPPRESSED = { suppressed: true } as const;
export type Suppressed = typeof SUPPRESSED;
export type Cell = string | number | null | Suppressed;
export type ColumnFormat = 'text' | 'number' | 'percent' | 'euro';
export type Column = { label: string; format: ColumnFormat };

export type DataTable = {
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** Lines printed under the table: provenance, date of the data, the suppression legend. */
  notes: string[];
};

export const isSuppressed = (c: Cell): c is Suppressed =>
  typeof c === 'object' && c !== null && 'suppressed' in c;

/** A measure value as the table holds it: null in a protected answer is a suppressed cell. */
export function measureCell(value: unknown, disclosure: Disclosure | null): Cell {
  if (value === null || value === undefined) return disclosure ? SUPPRESSED : null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const numberFormat = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 });
const euroFormat = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const percentFormat = new Intl.NumberFormat('it-IT', {
  style: 'percent',
  maximumFractionDigits: 1,
});

export const SUPPRESSED_LABEL = 'oscurato';

/** A cell as a person reads it (Italian number formats). */
export function formatCell(c: Cell, format: ColumnFormat): string {
  if (isSuppressed(c)) return SUPPRESSED_LABEL;
  if (c === null) return '–';
  if (typeof c === 'string') return c;
  if (format === 'euro') return euroFormat.format(c);
  if (format === 'percent') return percentFormat.format(c);
  return numberFormat.format(c);
}

/** Why cells are suppressed, in words, with the counts of this answer. */
export function suppressionReason(d: Disclosure | null): string {
  if (!d) return '';
  const parts: string[] = [];
  if (d.byReason.frequency) parts.push(`${d.byReason.frequency} per meno di ${d.k} persone`);
  if (d.byReason.dominance)
    parts.push(
      `${d.byReason.dominance} perché ${d.dominance.n} contributori ne fanno oltre il ${Math.round(d.dominance.k * 100)}%`,
    );
  if (d.byReason.complementary)
    parts.push(
      `${d.byReason.complementary} oscurati in aggiunta, perché gli altri non si possano ricavare per differenza`,
    );
  const detail = parts.length ? `: ${parts.join('; ')}` : '';
  return `Dato oscurato per la tutela della riservatezza (controllo statistico: meno di ${d.k} persone, dominanza ${d.dominance.n}/${Math.round(d.dominance.k * 100)}%, oscuramento complementare)${detail}.`;
}

const dateTime = new Intl.DateTimeFormat('it-IT', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Rome',
});

/** "Dati aggiornati al …" and where the numbers come from, as every chart and export says. */
export function provenanceNotes(answer: CubeAnswer | null): string[] {
  if (!answer) return [];
  const p = answer.provenance;
  const when = p?.lastChangeAt ?? answer.lastRefreshTime;
  const notes = [`Dati aggiornati al ${dateTime.format(new Date(when))}`];
  if (p)
    notes.push(
      `Fonte: magazzino dati, ${p.source.replace(/^rollup:/, 'aggregato ').replace(/^table:/, 'tabella ')} (caricamento ${p.build}, ${dateTime.format(new Date(p.loadedAt))}, modifica n. ${p.lastChangeSeq})`,
    );
  if (answer.disclosure?.suppressed) notes.push(suppressionReason(answer.disclosure));
  return notes;
}
