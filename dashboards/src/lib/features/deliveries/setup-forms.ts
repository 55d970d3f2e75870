// The forms that set up erogazione interventi (an intervention decided, a tariff, a project):
// each a table of its fields and how the typed text becomes the API's input. The only checks
// made here are those GraphQL would otherwise make without naming the field (a required value
// missing, a number or a date that is not one); every rule of the domain is the API's, whose
// message comes back beside the field it names (`extensions.field`).
import { parseItDate, todayIt } from '../../dates.ts';
import { it } from '../../i18n/it.ts';
import { parseNumber } from './delivery-view.ts';

/** text: trimmed; code: trimmed, in capitals; choice: an enum or an id; number, date: parsed. */
export type FieldKind = 'text' | 'code' | 'choice' | 'number' | 'date';
export type FieldSpec = { kind: FieldKind; required?: boolean };
export type FormSpec<K extends string> = Record<K, FieldSpec>;
export type FormValues<K extends string> = Record<K, string>;

export type Converted =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; field: string; message: string };

/** The typed values as the API's input, or the first field (in the form's order) that is wrong. */
export function toInput<K extends string>(spec: FormSpec<K>, v: FormValues<K>): Converted {
  const input: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec) as [K, FieldSpec][]) {
    const raw = (v[name] ?? '').trim();
    if (raw === '') {
      if (f.required) return { ok: false, field: name, message: it.deliveries.requiredField };
      continue;
    }
    if (f.kind === 'number') {
      const n = parseNumber(raw);
      if (n === null || Number.isNaN(n))
        return { ok: false, field: name, message: it.deliveries.notANumber };
      input[name] = n;
    } else if (f.kind === 'date') {
      const d = parseItDate(raw);
      if (!d.ok) return { ok: false, field: name, message: it.app.invalidDate };
      input[name] = d.iso;
    } else input[name] = f.kind === 'code' ? raw.toUpperCase() : raw;
  }
  return { ok: true, input };
}

export const blankOf = <K extends string>(
  spec: FormSpec<K>,
  defaults: Partial<FormValues<K>> = {},
) => Object.fromEntries(Object.keys(spec).map((k) => [k, defaults[k as K] ?? ''])) as FormValues<K>;

export const INTERVENTION_FORM = {
  personId: { kind: 'choice', required: true },
  serviceCode: { kind: 'code', required: true },
  providerId: { kind: 'choice', required: true },
  unit: { kind: 'choice', required: true },
  projectId: { kind: 'choice' },
  periodicity: { kind: 'choice', required: true },
  periodUnit: { kind: 'choice' },
  quantityPerPeriod: { kind: 'number' },
  startOn: { kind: 'date', required: true },
  endOn: { kind: 'date' },
  plannedQuantity: { kind: 'number' },
  plannedAmount: { kind: 'number' },
  beneficiarySharePercent: { kind: 'number' },
  meansTest: { kind: 'choice', required: true },
  'isee.value': { kind: 'number' },
  'isee.dsuProtocol': { kind: 'text' },
  'isee.dsuOn': { kind: 'date' },
  takenInCare: { kind: 'choice', required: true },
  userArea: { kind: 'choice' },
  applicationProtocol: { kind: 'text', required: true },
  notes: { kind: 'text' },
} as const satisfies FormSpec<string>;
export type InterventionField = keyof typeof INTERVENTION_FORM;

export const blankIntervention = (now = new Date()) =>
  blankOf(INTERVENTION_FORM, {
    periodicity: 'OCCASIONAL',
    unit: 'HOUR',
    startOn: todayIt(now),
    meansTest: 'M1',
    takenInCare: 'SI',
  });

const ISEE_PARTS = ['isee.value', 'isee.dsuProtocol', 'isee.dsuOn'] as const;

/**
 * An occasional intervention has no period: what was typed for one is not sent. The ISEE is its
 * three parts or nothing (then the API takes the case file's, or says the means test needs one).
 */
export function interventionInput(v: FormValues<InterventionField>): Converted {
  const r = toInput(INTERVENTION_FORM, v);
  if (!r.ok) return r;
  if (r.input.periodicity === 'OCCASIONAL') {
    delete r.input.periodUnit;
    delete r.input.quantityPerPeriod;
  }
  const given = ISEE_PARTS.filter((k) => r.input[k] !== undefined);
  if (given.length > 0) {
    const missing = ISEE_PARTS.find((k) => r.input[k] === undefined);
    if (missing) return { ok: false, field: missing, message: it.deliveries.requiredField };
    r.input.isee = {
      value: r.input['isee.value'],
      dsuProtocol: r.input['isee.dsuProtocol'],
      dsuOn: r.input['isee.dsuOn'],
    };
  }
  for (const k of ISEE_PARTS) delete r.input[k];
  return r;
}

export const TARIFF_FORM = {
  providerId: { kind: 'choice', required: true },
  serviceCode: { kind: 'code', required: true },
  unit: { kind: 'choice', required: true },
  unitCost: { kind: 'number', required: true },
  validFrom: { kind: 'date', required: true },
  validTo: { kind: 'date' },
} as const satisfies FormSpec<string>;
export type TariffField = keyof typeof TARIFF_FORM;
export const blankTariff = (now = new Date()) =>
  blankOf(TARIFF_FORM, { unit: 'HOUR', validFrom: todayIt(now) });

export const PROJECT_FORM = {
  code: { kind: 'text', required: true },
  title: { kind: 'text', required: true },
  fundingSourceCode: { kind: 'choice', required: true },
  budget: { kind: 'number', required: true },
  startOn: { kind: 'date', required: true },
  endOn: { kind: 'date' },
} as const satisfies FormSpec<string>;
export type ProjectField = keyof typeof PROJECT_FORM;
export const blankProject = (now = new Date()) => blankOf(PROJECT_FORM, { startOn: todayIt(now) });
