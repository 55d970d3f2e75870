import {
  type DeliveryExportRow,
  type DeliverySearchInput,
  listDeliveryExportRows,
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
// The filter takes the fields of DeliveryFilter as query parameters.

const FILTERS = [
  'personId',
  'interventionId',
  'serviceCode',
  'providerId',
  'projectId',
  'officeId',
  'status',
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
  { header: 'Servizio', width: 10, value: (r) => r.serviceCode },
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
  return app;
}
