import {
  ACCESS_KIND_LABELS,
  CHANNEL_LABELS,
  getIntakeRecord,
  type IntakeExportRow,
  type IntakeRecord,
  listIntakeExportRows,
  OUTCOME_LABELS,
  type SearchIntakeInput,
  STATUS_LABELS,
  WORK_CONDITIONS,
} from '@hub/casework';
import { Hono } from 'hono';
import PDFDocument from 'pdfkit';
import { actorOf, type RestDeps, stamp } from './rest-actor.ts';
import { type ExportColumn, tableCsv, tableXlsx } from './table-export.ts';

// Exports of the front desk (DESIGN.md section 6: Excel, CSV, PDF and print):
//   GET /api/intake-records/export.xlsx?<filter>   the filtered list, as the search sees it
//   GET /api/intake-records/export.csv?<filter>    the same, CSV (semicolon, UTF-8 with BOM)
//   GET /api/intake-records/:id/print.pdf          one record, masked for the caller's desk
// The filter takes the fields of SearchIntakeRecordsInput as query parameters; lists
// (accessKinds, channels, statuses) are comma-separated. Every export is audited by the service.

const LIST_FILTERS = ['accessKinds', 'channels', 'statuses'] as const;
const SCALAR_FILTERS = [
  'from',
  'to',
  'organizationId',
  'officeId',
  'contactPointId',
  'outcome',
  'needCode',
  'serviceCode',
  'subjectTaxCode',
  'subjectPersonId',
  'subjectLastName',
  'proposedOfficeId',
] as const;

export function filterFromQuery(
  query: Record<string, string>,
): Omit<SearchIntakeInput, 'first' | 'after'> {
  const filter: Record<string, unknown> = {};
  for (const key of SCALAR_FILTERS) if (query[key]) filter[key] = query[key];
  for (const key of LIST_FILTERS) {
    if (query[key])
      filter[key] = query[key]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
  }
  return filter as Omit<SearchIntakeInput, 'first' | 'after'>;
}

const romeTime = (d: Date) =>
  new Intl.DateTimeFormat('it-IT', {
    timeZone: 'Europe/Rome',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(d);

const COLUMNS: ExportColumn<IntakeExportRow>[] = [
  { header: 'N.', width: 8, value: (r) => r.number },
  { header: 'Data e ora', width: 17, value: (r) => romeTime(r.occurredAt) },
  { header: 'Punto di contatto', width: 32, value: (r) => r.contactPointName },
  { header: 'Modalità', width: 22, value: (r) => r.channelLabel },
  { header: 'Tipo di accesso', width: 40, value: (r) => r.accessKindLabel },
  {
    header: 'Utente',
    width: 28,
    value: (r) => r.subjectName ?? (r.accessKind === 'ANONYMOUS' ? 'anonimo' : ''),
  },
  { header: 'Codice fiscale', width: 18, value: (r) => r.subjectTaxCode ?? '' },
  { header: 'Bisogni', width: 16, value: (r) => r.needCodes.join(', ') },
  { header: 'Servizi richiesti', width: 18, value: (r) => r.serviceCodes.join(', ') },
  { header: 'Stato', width: 30, value: (r) => r.statusLabel },
  { header: 'Esito', width: 34, value: (r) => r.outcomeLabel ?? '' },
];

export function intakeCsv(rows: IntakeExportRow[]): string {
  return tableCsv(COLUMNS, rows);
}

export function intakeXlsx(rows: IntakeExportRow[]): Promise<Buffer> {
  return tableXlsx('Schede di accesso', COLUMNS, rows);
}

const MASKED = '— dato oscurato per questo sportello —';

/** One record on A4, as the desk prints it (fields masked at the caller's desk say so). */
export function intakePdf(record: IntakeRecord): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Scheda di accesso n. ${record.number}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const masked = new Set(record.maskedFields);
  const section = (title: string) =>
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(title).moveDown(0.2);
  const line = (label: string, value: string | number | null | undefined, path?: string) => {
    if (path && masked.has(path)) value = MASKED;
    if (value === null || value === undefined || value === '') return;
    doc.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true });
    doc.font('Helvetica').text(String(value));
  };

  doc.font('Helvetica-Bold').fontSize(16).text(`Scheda di accesso n. ${record.number}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`${record.contactPointName} – ${romeTime(record.occurredAt)}`);

  section('Accesso');
  line('Modalità', CHANNEL_LABELS[record.channel]);
  line('Tipo di accesso', ACCESS_KIND_LABELS[record.accessKind]);
  line('Inviato da', record.sentBy);
  line('Stato', STATUS_LABELS[record.status]);
  line(
    'Consenso al trattamento',
    record.consentStatus === 'GIVEN'
      ? 'rilasciato'
      : record.consentStatus === 'DENIED'
        ? 'negato'
        : record.consentStatus === 'WITHDRAWN'
          ? 'revocato'
          : null,
  );

  section('Interlocutore');
  const i = record.interlocutor;
  line(
    'Interlocutore',
    [i.name, i.organization].filter(Boolean).join(' – ') ||
      (i.kind === 'SUBJECT' ? "l'utente" : null),
  );
  line('Ruolo', i.role);
  line('Recapito', i.contact);

  section('Utente');
  if (!record.subject)
    doc.font('Helvetica').fontSize(10).text('Colloquio anonimo: nessuna generalità registrata.');
  else {
    const s = record.subject;
    line('Cognome e nome', [s.lastName, s.firstName].filter(Boolean).join(' ') || null);
    line('Alias', s.alias);
    line('Codice fiscale', s.taxCode);
    line('Data di nascita', s.birthDate);
    line('Cittadinanza', s.citizenship ?? record.foreignCitizen.citizenship);
  }
  line('Permesso di soggiorno', record.foreignCitizen.permitType, 'foreignCitizen.permitType');
  line('Scadenza del permesso', record.foreignCitizen.permitExpiry, 'foreignCitizen.permitExpiry');
  for (const r of record.referencePersons)
    line(
      'Riferimento',
      `${r.fullName} (${r.relationship.toLowerCase()})${r.phone ? `, ${r.phone}` : ''}`,
    );

  section('Situazione');
  line('Descrizione', record.summary);
  const so = record.social;
  line('Componenti del nucleo', so.householdSize);
  line('Famiglia', so.familyNotes);
  line(
    'Condizione lavorativa',
    so.workConditionCode ? WORK_CONDITIONS[so.workConditionCode] : null,
  );
  line('Lavoro', so.workNotes);
  line('Senza fissa dimora', so.homeless ? 'sì' : null);
  line('Abitazione', so.housingNotes);
  line('Rete e contatti', so.contactsNotes);
  line('Note sanitarie', so.healthNotes, 'social.healthNotes');
  line('Note giudiziarie', so.judicialNotes, 'social.judicialNotes');
  line('Provvedimento', so.judicialMeasureRef, 'social.judicialMeasureRef');
  line('Situazione economica', so.economicNotes, 'social.economicNotes');

  section('Bisogni espressi e servizi richiesti');
  for (const n of record.needs) line('Bisogno', `${n.code} – ${n.label}`);
  for (const s of record.services)
    line('Servizio', `${s.code} – ${s.title} (${s.state.toLowerCase()}, ${s.workingMinutes} min)`);

  section('Esito');
  line('Intervento', record.outcome ? OUTCOME_LABELS[record.outcome] : 'scheda aperta');
  line('Note', record.outcomeNotes);

  if (record.diary.length > 0) {
    section('Diario');
    for (const d of record.diary) {
      line(`${romeTime(d.at)} ${d.author}`, d.text ?? MASKED);
    }
  }
  doc.end();
  return done;
}

export function intakeExportRoutes(deps: RestDeps) {
  const app = new Hono();
  app.get('/api/intake-records/export.xlsx', async (c) => {
    const rows = await listIntakeExportRows(
      deps.db,
      await actorOf(deps, c),
      filterFromQuery(c.req.query()),
    );
    return c.body(new Uint8Array(await intakeXlsx(rows)), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="schede-accesso-${stamp()}.xlsx"`,
    });
  });
  app.get('/api/intake-records/export.csv', async (c) => {
    const rows = await listIntakeExportRows(
      deps.db,
      await actorOf(deps, c),
      filterFromQuery(c.req.query()),
    );
    return c.body(intakeCsv(rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="schede-accesso-${stamp()}.csv"`,
    });
  });
  app.get('/api/intake-records/:id/print.pdf', async (c) => {
    const record = await getIntakeRecord(deps.db, await actorOf(deps, c), c.req.param('id'));
    return c.body(new Uint8Array(await intakePdf(record)), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="scheda-accesso-${record.number}.pdf"`,
    });
  });
  return app;
}
