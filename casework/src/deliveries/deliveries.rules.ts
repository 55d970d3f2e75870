// The rules of erogazione interventi as pure checks (the shape of intake.rules.ts): each takes what
// it decides on and throws a CaseworkError naming the field, or returns its verdict. No store here:
// the services read, the rules decide.
import { CaseworkError } from '../errors.ts';
import { shiftDay } from '../time/today.ts';
import {
  COMMITTED_STATUSES,
  type DeliveryStatus,
  type Isee,
  type PeriodUnit,
} from './deliveries.types.ts';

export type TariffVersion = {
  id: string;
  unitCost: number;
  validFrom: string;
  /** Exclusive; null: open. */
  validTo: string | null;
};

/** The version of one tariff key in force on `day`, or null (a gap, or before the first). */
export function tariffInForce<T extends TariffVersion>(
  versions: readonly T[],
  day: string,
): T | null {
  return (
    versions.find((v) => v.validFrom <= day && (v.validTo === null || day < v.validTo)) ?? null
  );
}

/**
 * Adding a version to a tariff key: the versions of one key follow each other with no overlap and
 * no gap. A version that starts after the open one closes it where it starts; one that starts on
 * or before the latest overlaps it; one that starts after a closed version's end leaves a gap.
 * Returns the version to close, if any.
 */
export function planTariffVersion(
  versions: readonly TariffVersion[],
  next: { validFrom: string; validTo: string | null },
): { close: { id: string; validTo: string } | null } {
  if (next.validTo !== null && next.validTo <= next.validFrom) {
    throw new CaseworkError(
      'BAD_USER_INPUT',
      'la fine di validità deve seguire l’inizio',
      'input.validTo',
    );
  }
  if (versions.length === 0) return { close: null };
  const latest = versions.reduce((a, b) => (b.validFrom > a.validFrom ? b : a));
  if (next.validFrom <= latest.validFrom) {
    throw new CaseworkError(
      'TARIFF_OVERLAP',
      `esiste già una tariffa in vigore dal ${latest.validFrom}: la nuova deve iniziare dopo`,
      'input.validFrom',
    );
  }
  if (latest.validTo === null) return { close: { id: latest.id, validTo: next.validFrom } };
  if (latest.validTo < next.validFrom) {
    throw new CaseworkError(
      'TARIFF_GAP',
      `la tariffa precedente vale fino al ${shiftDay(latest.validTo, -1)}: la nuova deve iniziare il ${latest.validTo}`,
      'input.validFrom',
    );
  }
  if (latest.validTo > next.validFrom) {
    throw new CaseworkError(
      'TARIFF_OVERLAP',
      `la tariffa precedente vale fino al ${shiftDay(latest.validTo, -1)}: la nuova deve iniziare il ${latest.validTo}`,
      'input.validFrom',
    );
  }
  return { close: null };
}

const cents = (n: number) => Math.round(n * 100);

/** Quantity × unit cost in euro, exact to the cent (rounded half away from zero). */
export function amountOf(quantity: number, unitCost: number): number {
  return Math.round((cents(quantity) * cents(unitCost)) / 100) / 100;
}

/** The beneficiary's share of an amount (compartecipazione), to the cent. */
export function shareOf(amount: number, percent: number): number {
  return Math.round(cents(amount) * (percent / 100)) / 100;
}

/** A delivered or planned quantity is positive, with at most two decimals. */
export function checkQuantity(quantity: number, field: string): void {
  if (!(quantity > 0)) {
    throw new CaseworkError('INVALID_QUANTITY', 'la quantità deve essere maggiore di zero', field);
  }
  if (Math.abs(quantity * 100 - cents(quantity)) > 1e-6) {
    throw new CaseworkError('INVALID_QUANTITY', 'la quantità ha al massimo due decimali', field);
  }
}

export type Period = { startOn: string; endOn: string | null };

/** A delivery falls within its intervention's period (both ends included). */
export function checkWithinPeriod(day: string, period: Period, field: string): void {
  if (day < period.startOn || (period.endOn !== null && day > period.endOn)) {
    throw new CaseworkError(
      'DELIVERY_OUTSIDE_PERIOD',
      `la data è fuori dal periodo dell'intervento (${period.startOn} – ${period.endOn ?? 'in corso'})`,
      field,
    );
  }
}

export type ContractTerms = Period & { providerId: string; serviceCodes: readonly string[] };

/** A contract covers the provider, the service and the day. */
export function checkContractCovers(
  contract: ContractTerms,
  what: { providerId: string; serviceCode: string; day: string },
  field: string,
): void {
  if (contract.providerId !== what.providerId) {
    throw new CaseworkError(
      'CONTRACT_NOT_APPLICABLE',
      'il contratto è di un altro ente erogatore',
      field,
    );
  }
  if (!contract.serviceCodes.includes(what.serviceCode)) {
    throw new CaseworkError(
      'CONTRACT_NOT_APPLICABLE',
      `il contratto non comprende il servizio ${what.serviceCode}`,
      field,
    );
  }
  if (what.day < contract.startOn || (contract.endOn !== null && what.day > contract.endOn)) {
    throw new CaseworkError(
      'CONTRACT_NOT_APPLICABLE',
      `il contratto vale dal ${contract.startOn}${contract.endOn ? ` al ${contract.endOn}` : ''}`,
      field,
    );
  }
}

/** A delivery may not take a contract past its ceiling (tetto di spesa). */
export function checkCeiling(
  contract: { ceilingAmount: number | null; reference: string },
  spent: number,
  amount: number,
  field: string,
): void {
  if (contract.ceilingAmount === null) return;
  if (cents(spent) + cents(amount) > cents(contract.ceilingAmount)) {
    throw new CaseworkError(
      'CONTRACT_CEILING_EXCEEDED',
      `il contratto ${contract.reference} ha un tetto di ${contract.ceilingAmount.toFixed(2)} €: ne restano ${(Math.max(0, cents(contract.ceilingAmount) - cents(spent)) / 100).toFixed(2)}`,
      field,
    );
  }
}

/**
 * How a change of one delivery moves its contract's committed total (the running total the
 * ceiling holds, migration 040): what it committed before leaves, what it commits after enters.
 * `null` is no row (before a new delivery). Exact to the cent.
 */
export function committedChange(
  before: { status: DeliveryStatus; amount: number } | null,
  after: { status: DeliveryStatus; amount: number } | null,
): number {
  const committed = (d: { status: DeliveryStatus; amount: number } | null) =>
    d && COMMITTED_STATUSES.includes(d.status) ? cents(d.amount) : 0;
  return (committed(after) - committed(before)) / 100;
}

/** PresenzaProvaMezzi 1: the benefit depends on the ISEE, which must be known. */
export function checkIsee(meansTest: string, isee: Isee | null): void {
  if (meansTest === '1' && isee === null) {
    throw new CaseworkError(
      'ISEE_REQUIRED',
      "la prestazione è soggetta a ISEE: indicare l'ISEE (valore, protocollo e data della DSU) o registrarlo nella cartella",
      'input.isee',
    );
  }
}

const MAX_OCCURRENCES = 1_000;

function addMonthsClamped(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The days a periodic intervention expects a delivery on, from its start to `through` (and never
 * past its end): every 7 days, or the same day of each month (the 31st becomes the month's last).
 */
export function expectedDays(
  intervention: Period & { periodUnit: PeriodUnit },
  through: string,
): string[] {
  const last =
    intervention.endOn !== null && intervention.endOn < through ? intervention.endOn : through;
  const days: string[] = [];
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const day =
      intervention.periodUnit === 'WEEK'
        ? shiftDay(intervention.startOn, 7 * i)
        : addMonthsClamped(intervention.startOn, i);
    if (day > last) break;
    days.push(day);
  }
  return days;
}

/** The days two periods share, or null. */
export function overlapOf(a: Period, b: Period): Period | null {
  // ISO dates sort as strings (Math.max would turn them into NaN).
  const from = [a.startOn, b.startOn].sort()[1]!;
  const ends = [a.endOn, b.endOn].filter((d): d is string => d !== null).sort();
  const to = ends[0] ?? null;
  if (to !== null && to < from) return null;
  return { startOn: from, endOn: to };
}

/** CaratterePrestazione follows from the periodicity: 1 periodico, 2 occasionale. */
export const benefitCharacterOf = (periodicity: 'PERIODIC' | 'OCCASIONAL'): '1' | '2' =>
  periodicity === 'PERIODIC' ? '1' : '2';

/** A periodic intervention says what each period brings; an occasional one says nothing of it. */
export function checkPeriodicity(input: {
  periodicity: 'PERIODIC' | 'OCCASIONAL';
  periodUnit?: PeriodUnit | null | undefined;
  quantityPerPeriod?: number | null | undefined;
}): void {
  if (input.periodicity === 'PERIODIC') {
    if (!input.periodUnit) {
      throw new CaseworkError(
        'BAD_USER_INPUT',
        'indicare ogni quanto (settimana o mese)',
        'input.periodUnit',
      );
    }
    if (input.quantityPerPeriod == null) {
      throw new CaseworkError(
        'BAD_USER_INPUT',
        'indicare la quantità di ogni periodo',
        'input.quantityPerPeriod',
      );
    }
    checkQuantity(input.quantityPerPeriod, 'input.quantityPerPeriod');
  } else if (input.periodUnit || input.quantityPerPeriod != null) {
    throw new CaseworkError(
      'BAD_USER_INPUT',
      'un intervento occasionale non ha periodo',
      input.periodUnit ? 'input.periodUnit' : 'input.quantityPerPeriod',
    );
  }
}
