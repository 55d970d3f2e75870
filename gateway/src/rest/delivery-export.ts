import {
  type DeliveryExportRow,
  type DeliverySearchInput,
  type InterventionExportRow,
  type InterventionSearchInput,
  listDeliveryExportRows,
  listInterventionExportRows,
  UNIT_LABELS,
} from '@hub/casework';
import { type Context, Hono } from 'hono';
import { actorOf, type RestDeps, stamp } from './rest-actor.ts';
import { type ExportColumn, tableCsv, tablePdf, tableXlsx } from './table-export.ts';

// Exports of erogazione interventi, as the deliveries list sees them (the service filters by the
// caller's organisation and audits the export):
//   GET /api/deliveries/export.xlsx?<filter>   Excel
//   GET /api/deliveries/export.csv?<filter>    CSV (semicolon, decimal comma, UTF-8 with BOM)
//   GET /api/deliveries/export.pdf?<filter>    a landscape A4 table
//   GET /api/interventions/export.{xlsx,csv,pdf}?<filter>   the interventions, likewise (the
//                                               ISEE absent where the caller's desk masks it)
// The filters take the fields of DeliveryFilter and InterventionFilter as query parameters.

const FILTERS = [
  'personId',
  'interventionId',
  'serviceCode',
  'providerId',
  'projectId',
  'officeId',
  'status',
  'siussState',
  'from',
  'to',
] as const;

export function deliveryFilterFromQuery(
  query: Record<string, string>,
): Omit<DeliverySearchInput, 'limit' | 'offset'> {
  const filter: Record<string, string> = {};
  for (const key of FILTERS) if (query[key]) filter[key] = query[key];
  return filter;
}

const INTERVENTION_FILTERS = [
  'personId',
  'serviceCode',
  'providerId',
  'projectId',
  'officeId',
  'status',
  'from',
  'to',
] as const;

export function interventionFilterFromQuery(
  query: Record<string, string>,
): Omit<InterventionSearchInput, 'limit' | 'offset'> {
  const filter: Record<string, string> = {};
  for (const key of INTERVENTION_FILTERS) if (query[key]) filter[key] = query[key];
  return filter;
}

const MASKED = 'oscurato';
const euro = (n: number | null) => (n === null ? '' : n);

export const INTERVENTION_COLUMNS: ExportColumn<InterventionExportRow>[] = [
  {
    header: 'Beneficiario',
    width: 26,
    value: (r) => [r.beneficiary.lastName, r.beneficiary.firstName].filter(Boolean).join(' '),
  },
  { header: 'Codice fiscale', width: 18, value: (r) => r.beneficiary.taxCode ?? '' },
  { header: 'Servizio', width: 10, value: (r) => r.serviceCode ?? MASKED },
  { header: 'Descrizione', width: 32, value: (r) => r.serviceTitle ?? '' },
  { header: 'Ente erogatore', width: 28, value: (r) => r.providerName },
  { header: 'Progetto', width: 12, value: (r) => r.projectCode ?? '' },
  {
    header: 'Periodicità',
    width: 12,
    value: (r) => (r.periodicity === 'PERIODIC' ? 'periodica' : 'occasionale'),
  },
  { header: 'Inizio', width: 11, value: (r) => itDate(r.startOn) },
  { header: 'Fine', width: 11, value: (r) => (r.endOn ? itDate(r.endOn) : '') },
  { header: 'Importo previsto (€)', width: 14, value: (r) => euro(r.plannedAmount), money: true },
  { header: 'Quota utente (%)', width: 10, value: (r) => r.beneficiarySharePercent },
  {
    header: 'ISEE (€)',
    width: 12,
    value: (r) => (r.maskedFields.includes('isee') ? MASKED : euro(r.isee?.value ?? null)),
    money: true,
  },
  { header: 'Presa in carico', width: 9, value: (r) => (r.takenInCare === '1' ? 'sì' : 'no') },
  { header: 'SIUSS', width: 8, value: (r) => (r.siussRequired ? 'sì' : 'no') },
  {
    header: 'Stato',
    width: 10,
    value: (r) => ({ ACTIVE: 'attivo', CLOSED: 'concluso', CANCELLED: 'annullato' })[r.status],
  },
  { header: 'Ufficio', width: 26, value: (r) => r.officeName },
];

const STATUS_LABELS: Record<DeliveryExportRow['status'], string> = {
  EXPECTED: 'attesa',
  RECORDED: 'registrata dall’ufficio',
  TO_VERIFY: 'da verificare',
  ACCEPTED: 'verificata',
  DISPUTED: 'contestata',
  CORRECTED: 'sostituita da una correzione',
  CANCELLED: 'annullata',
};

const [y, m, d] = [0, 1, 2];
const itDate = (iso: string) => {
  const p = iso.split('-');
  return `${p[d]}/${p[m]}/${p[y]}`;
};

export const DELIVERY_COLUMNS: ExportColumn<DeliveryExportRow>[] = [
  { header: 'Data', width: 11, value: (r) => itDate(r.deliveredOn) },
  { header: 'Beneficiario', width: 26, value: (r) => r.beneficiaryName ?? '' },
  { header: 'Codice fiscale', width: 18, value: (r) => r.beneficiaryTaxCode ?? '' },
  { header: 'Servizio', width: 10, value: (r) => r.serviceCode ?? MASKED },
  { header: 'Descrizione', width: 34, value: (r) => r.serviceTitle ?? '' },
  { header: 'Ente erogatore', width: 30, value: (r) => r.providerName },
  { header: 'Progetto', width: 12, value: (r) => r.projectCode ?? '' },
  { header: 'Quantità', width: 9, value: (r) => r.quantity },
  { header: 'Unità', width: 9, value: (r) => UNIT_LABELS[r.unit] },
  { header: 'Importo (€)', width: 12, value: (r) => r.amount, money: true },
  { header: 'Quota utente (€)', width: 12, value: (r) => r.beneficiaryShare, money: true },
  { header: 'Stato', width: 22, value: (r) => STATUS_LABELS[r.status] },
  { header: 'Ufficio', width: 28, value: (r) => r.officeName },
];

export function deliveryExportRoutes(deps: RestDeps) {
  const app = new Hono();
  const rows = async (c: Context) =>
    listDeliveryExportRows(deps.db, await actorOf(deps, c), deliveryFilterFromQuery(c.req.query()));
  app.get('/api/deliveries/export.xlsx', async (c) =>
    c.body(new Uint8Array(await tableXlsx('Erogazioni', DELIVERY_COLUMNS, await rows(c))), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="erogazioni-${stamp()}.xlsx"`,
    }),
  );
  app.get('/api/deliveries/export.csv', async (c) =>
    c.body(tableCsv(DELIVERY_COLUMNS, await rows(c)), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="erogazioni-${stamp()}.csv"`,
    }),
  );
  app.get('/api/deliveries/export.pdf', async (c) => {
    const list = await rows(c);
    const total = list.reduce(
      (n, r) => n + (r.status === 'RECORDED' || r.status === 'ACCEPTED' ? r.amount : 0),
      0,
    );
    const pdf = await tablePdf(
      'Erogazioni',
      `${list.length} erogazioni – spesa contabilizzata ${total.toLocaleString('it-IT', { style: 'currency', currency: 'EUR' })} – estratto il ${itDate(stamp())}`,
      DELIVERY_COLUMNS,
      list,
    );
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="erogazioni-${stamp()}.pdf"`,
    });
  });
  const interventions = async (c: Context) =>
    listInterventionExportRows(
      deps.db,
      await actorOf(deps, c),
      interventionFilterFromQuery(c.req.query()),
    );
  app.get('/api/interventions/export.xlsx', async (c) =>
    c.body(
      new Uint8Array(await tableXlsx('Interventi', INTERVENTION_COLUMNS, await interventions(c))),
      200,
      {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="interventi-${stamp()}.xlsx"`,
      },
    ),
  );
  app.get('/api/interventions/export.csv', async (c) =>
    c.body(tableCsv(INTERVENTION_COLUMNS, await interventions(c)), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="interventi-${stamp()}.csv"`,
    }),
  );
  app.get('/api/interventions/export.pdf', async (c) => {
    const list = await interventions(c);
    const pdf = await tablePdf(
      'Interventi',
      `${list.length} interventi – estratto il ${itDate(stamp())}`,
      INTERVENTION_COLUMNS,
      list,
    );
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="interventi-${stamp()}.pdf"`,
    });
  });
  return app;
}
