import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, OperatorActor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import {
  citizenInput,
  createIntakeWorld,
  hoursAgo,
  type IntakeWorld,
  newSubject,
  rowCounts,
} from './intake.fixtures.ts';
import {
  addIntakeDiaryEntry,
  closeIntakeRecord,
  createIntakeRecord,
  deleteIntakeRecord,
  duplicateIntakeRecord,
  findIntakeSubjects,
  getIntakeRecord,
  listIntakeExportRows,
  listIntakeSendTargets,
  proposeIntakeForCare,
  searchIntakeRecords,
  sendIntakeToDesk,
  updateIntakeRecord,
} from './intake.service.ts';
import type { IntakeRecord } from './intake.types.ts';

let world: IntakeWorld;
let db: Db;
let desk: OperatorActor;

beforeAll(async () => {
  world = await createIntakeWorld();
  db = world.db;
  desk = world.actors.frontDeskPg;
});
afterAll(() => db.close());

const sensitive = {
  social: {
    familyNotes: 'vive con la figlia',
    healthNotes: 'in cura presso il CSM',
    judicialNotes: 'procedimento di separazione in corso',
    judicialMeasureRef: 'RG 1234/2025',
    economicNotes: 'pensione minima',
    workConditionCode: '6',
  },
  foreignCitizen: {
    citizenship: 'Senegal',
    permitType: 'Permesso per motivi familiari',
    permitExpiry: '2027-06-30',
  },
};

describe('bad input', () => {
  it.each<[string, Parameters<typeof citizenInput>[0], string, string]>([
    [
      'a service code not in the nomenclator',
      { services: [{ code: 'A2.07' }, { code: 'XX.99' }] },
      'UNKNOWN_SERVICE_CODE',
      'input.services.1.code',
    ],
    [
      'an aggregate that cannot be requested',
      { services: [{ code: 'ALL' }] },
      'UNKNOWN_SERVICE_CODE',
      'input.services.0.code',
    ],
    [
      'a need code that does not exist',
      { needs: [{ code: 'NOPE' }] },
      'UNKNOWN_NEED_CODE',
      'input.needs.0.code',
    ],
    [
      'a date in the future',
      { occurredAt: new Date(Date.now() + 86_400_000) },
      'FUTURE_DATE',
      'input.occurredAt',
    ],
    [
      'a consent dated in the future',
      { consent: { status: 'GIVEN', decidedOn: '2999-01-01' } },
      'FUTURE_DATE',
      'input.consent.decidedOn',
    ],
    [
      'a wrong codice fiscale',
      { subject: { taxCode: 'RSSMRA80A01G478X', firstName: 'Mario', lastName: 'Rossi' } },
      'INVALID_TAX_CODE',
      'input.subject.taxCode',
    ],
    [
      'a subject with neither name nor alias',
      { subject: { sex: 'F' } },
      'BAD_USER_INPUT',
      'input.subject.lastName',
    ],
    ['an unknown channel', { channel: 'FAX' as never }, 'BAD_USER_INPUT', 'input.channel'],
  ])('should refuse %s and save nothing', async (_case, overrides, code, field) => {
    const before = await rowCounts(db);
    await expect(createIntakeRecord(db, desk, citizenInput(overrides))).rejects.toMatchObject({
      code,
      field,
    });
    expect(await rowCounts(db)).toEqual(before);
  });

  it('should refuse to edit a closed record, leaving it as it was', async () => {
    const record = await createIntakeRecord(
      db,
      desk,
      citizenInput({ close: { outcome: 'INFORMATION_GIVEN' } }),
    );
    const before = await rowCounts(db);
    await expect(
      updateIntakeRecord(db, desk, record.id, { summary: 'cambiato' }),
    ).rejects.toMatchObject({
      code: 'RECORD_CLOSED',
    });
    await expect(
      closeIntakeRecord(db, desk, record.id, { outcome: 'REFERRAL' }),
    ).rejects.toMatchObject({
      code: 'RECORD_CLOSED',
    });
    await expect(
      sendIntakeToDesk(db, desk, record.id, { contactPointId: world.fx.contactPoints.immigrantPg }),
    ).rejects.toMatchObject({
      code: 'RECORD_CLOSED',
    });
    expect(await rowCounts(db)).toEqual(before);
    expect((await getIntakeRecord(db, desk, record.id)).summary).toBeNull();
  });

  it('should roll back an update that fails half-way (unknown code after valid changes)', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput({ summary: 'prima' }));
    await expect(
      updateIntakeRecord(db, desk, record.id, {
        summary: 'dopo',
        needs: [{ code: 'FAM' }],
        services: [{ code: 'NOPE' }],
      }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE_CODE' });
    const after = await getIntakeRecord(db, desk, record.id);
    expect([after.summary, after.needs.map((n) => n.code)]).toEqual(['prima', ['POV']]);
  });
});

describe('masking by desk profile', () => {
  let record: IntakeRecord;
  beforeAll(async () => {
    record = await createIntakeRecord(db, desk, citizenInput(sensitive));
    await addIntakeDiaryEntry(db, desk, record.id, {
      kind: 'INTERVIEW',
      text: 'Riferisce un ricovero recente',
      sensitiveGroup: 'HEALTH',
    });
    await addIntakeDiaryEntry(db, desk, record.id, { text: 'Richiamare lunedì' });
  });

  const reader = (name: keyof IntakeWorld['actors']) => world.actors[name];

  it('should show everything at a standard desk', async () => {
    const seen = await getIntakeRecord(db, reader('frontDeskPg'), record.id);
    expect(seen.maskedFields).toEqual([]);
    expect(seen.social).toMatchObject(sensitive.social);
    expect(seen.foreignCitizen).toEqual(sensitive.foreignCitizen);
    expect(seen.diary.map((d) => d.text)).toEqual([
      'Riferisce un ricovero recente',
      'Richiamare lunedì',
    ]);
  });

  it('should remove health and judicial data at the immigrant desk, and keep the permit', async () => {
    const seen = await getIntakeRecord(db, reader('immigrantDeskPg'), record.id);
    expect(seen.social).toMatchObject({
      healthNotes: null,
      judicialNotes: null,
      judicialMeasureRef: null,
      economicNotes: 'pensione minima',
      familyNotes: 'vive con la figlia',
    });
    expect(seen.foreignCitizen.permitType).toBe(sensitive.foreignCitizen.permitType);
    const healthEntry = seen.diary.find((d) => d.sensitiveGroup === 'HEALTH')!;
    expect(healthEntry.text).toBeNull();
    expect(seen.maskedFields.sort()).toEqual(
      [
        'social.healthNotes',
        'social.judicialNotes',
        'social.judicialMeasureRef',
        `diary.${healthEntry.id}.text`,
        'needs.HEALTH',
      ].sort(),
    );
    // Nothing of the masked values is left anywhere in what the service returns.
    const json = JSON.stringify(seen);
    for (const value of ['in cura presso il CSM', 'RG 1234/2025', 'ricovero'])
      expect(json).not.toContain(value);
  });

  it('should remove every sensitive group at the public desk (URP), permit included', async () => {
    const seen = await getIntakeRecord(db, reader('publicDeskPg'), record.id);
    expect(seen.foreignCitizen).toEqual({
      citizenship: 'Senegal',
      permitType: null,
      permitExpiry: null,
    });
    expect(seen.social.economicNotes).toBeNull();
    expect(seen.maskedFields).toEqual(
      expect.arrayContaining([
        'foreignCitizen.permitType',
        'foreignCitizen.permitExpiry',
        'social.economicNotes',
      ]),
    );
  });

  it('should mask also what an update returns', async () => {
    const updated = await updateIntakeRecord(db, reader('immigrantDeskPg'), record.id, {
      summary: 'aggiornata allo sportello immigrati',
    });
    expect(updated.social.healthNotes).toBeNull();
    expect(
      (await getIntakeRecord(db, reader('socialWorkerPg'), record.id)).social.healthNotes,
    ).toBe('in cura presso il CSM');
  });

  it('should mask for a partner client every group it holds no scope for', async () => {
    const asl = world.client(['intake:read', 'sensitive:health']);
    const seen = await getIntakeRecord(db, asl, record.id);
    expect(seen.social.healthNotes).toBe('in cura presso il CSM');
    expect(seen.foreignCitizen.permitType).toBeNull();
  });
});

describe('access', () => {
  let record: IntakeRecord;
  beforeAll(async () => {
    record = await createIntakeRecord(db, desk, citizenInput());
  });

  it.each<[string, (w: IntakeWorld) => Actor]>([
    ['an operator of another organisation', (w) => w.actors.frontDeskTr],
    ['a planner', (w) => w.actors.plannerRegion],
    ['an administrator', (w) => w.actors.admin],
    ['a client without intake scope', (w) => w.client(['persons:read'])],
  ])('should refuse %s and audit the denial', async (_case, actorOf) => {
    const actor = actorOf(world);
    await expect(getIntakeRecord(db, actor, record.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const rows = await db.query<{ outcome: string; person_id: string }>(
      `SELECT outcome, person_id FROM audit_log WHERE entity = 'IntakeRecord' AND action = 'READ' AND entity_id = $1
        ORDER BY id DESC LIMIT 1`,
      [record.id],
    );
    expect(rows[0]).toEqual({ outcome: 'DENIED', person_id: expect.any(String) });
  });

  it('should let a client with intake:read read but not write', async () => {
    const client = world.client(['intake:read']);
    expect((await getIntakeRecord(db, client, record.id)).id).toBe(record.id);
    await expect(updateIntakeRecord(db, client, record.id, { summary: 'x' })).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
  });

  it('should audit every read with the subject', async () => {
    await getIntakeRecord(db, world.actors.socialWorkerPg, record.id);
    const [row] = await db.query<{ actor_id: string; person_id: string; outcome: string }>(
      `SELECT actor_id, person_id, outcome FROM audit_log WHERE action = 'READ' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [record.id],
    );
    expect(row).toEqual({ actor_id: 'as.pg', person_id: record.subject!.personId, outcome: 'OK' });
  });

  it('should find the subject in the registry by codice fiscale or by name', async () => {
    const { taxCode } = world.fx.persons.perugia;
    expect((await findIntakeSubjects(db, desk, { taxCode })).map((p) => p.taxCode)).toEqual([
      taxCode,
    ]);
    expect(
      (await findIntakeSubjects(db, desk, { lastName: 'Bianc' })).map((p) => p.lastName),
    ).toContain('Bianchi');
  });
});

describe('search', () => {
  const created: Record<string, IntakeRecord> = {};
  let subjectTaxCode: string;

  beforeAll(async () => {
    const w = world;
    const subject = newSubject({ lastName: 'Cercabile' });
    subjectTaxCode = subject.taxCode;
    created.a = await createIntakeRecord(
      db,
      desk,
      citizenInput({
        occurredAt: new Date('2025-03-10T09:00:00Z'),
        subject,
        needs: [{ code: 'ELD' }],
        services: [{ code: 'A2.07' }],
      }),
    );
    created.b = await createIntakeRecord(
      db,
      desk,
      citizenInput({
        occurredAt: new Date('2025-03-20T09:00:00Z'),
        subject: { personId: created.a.subject!.personId },
        consent: null,
        needs: [{ code: 'POV' }],
        services: [{ code: 'A1.05' }],
      }),
    );
    created.c = await createIntakeRecord(
      db,
      w.actors.immigrantDeskPg,
      citizenInput({
        occurredAt: new Date('2025-04-02T09:00:00Z'),
        needs: [{ code: 'IMMNOM' }],
        close: { outcome: 'CULTURAL_MEDIATION' },
      }),
    );
    created.d = await createIntakeRecord(db, desk, {
      occurredAt: new Date('2025-04-15T09:00:00Z'),
      channel: 'PHONE',
      accessKind: 'ANONYMOUS',
      needs: [{ code: 'POV' }],
    });
    created.e = await createIntakeRecord(
      db,
      w.actors.frontDeskTr,
      citizenInput({ occurredAt: new Date('2025-03-15T09:00:00Z'), needs: [{ code: 'ELD' }] }),
    );
  });

  const ids = async (actor: Actor, filter: Parameters<typeof searchIntakeRecords>[2]) =>
    (
      await searchIntakeRecords(db, actor, {
        from: '2025-03-01T00:00:00Z',
        to: '2025-05-01T00:00:00Z',
        ...filter,
      })
    ).items.map((i) => i.id);

  it.each<[string, Parameters<typeof searchIntakeRecords>[2], string[]]>([
    ['the date range', {}, ['d', 'c', 'b', 'a']],
    [
      'a narrower date range',
      { from: '2025-03-15T00:00:00Z', to: '2025-04-10T00:00:00Z' },
      ['c', 'b'],
    ],
    ['the contact point', { contactPointId: 'immigrant' }, ['c']],
    ['the kind of access', { accessKinds: ['ANONYMOUS'] }, ['d']],
    ['the need', { needCode: 'POV' }, ['d', 'b']],
    ['the service', { serviceCode: 'A2.07' }, ['a']],
    ['the state', { statuses: ['CLOSED'] }, ['c']],
    ['the outcome', { outcome: 'CULTURAL_MEDIATION' }, ['c']],
    ['the subject’s last name', { subjectLastName: 'cercab' }, ['b', 'a']],
  ])('should filter by %s', async (_case, filter, expected) => {
    const f = { ...filter };
    if (f.contactPointId === 'immigrant') f.contactPointId = world.fx.contactPoints.immigrantPg;
    expect(await ids(desk, f)).toEqual(expected.map((k) => created[k]!.id));
  });

  it('should find a subject’s records by codice fiscale, and only in the actor’s organisations', async () => {
    expect(await ids(desk, { subjectTaxCode: subjectTaxCode.toLowerCase() })).toEqual([
      created.b!.id,
      created.a!.id,
    ]);
    expect(await ids(world.actors.frontDeskTr, {})).toEqual([created.e!.id]);
  });

  it('should page with a cursor, without overlaps or gaps', async () => {
    const first = await searchIntakeRecords(db, desk, {
      from: '2025-03-01T00:00:00Z',
      to: '2025-05-01T00:00:00Z',
      first: 3,
    });
    expect(first.items).toHaveLength(3);
    const second = await searchIntakeRecords(db, desk, {
      from: '2025-03-01T00:00:00Z',
      to: '2025-05-01T00:00:00Z',
      first: 3,
      after: first.nextCursor,
    });
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(
      ['d', 'c', 'b', 'a'].map((k) => created[k]!.id),
    );
    expect(second.nextCursor).toBeNull();
    await expect(searchIntakeRecords(db, desk, { after: 'garbage' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.after',
    });
  });

  it('should list needs, services and the subject, and nothing sensitive', async () => {
    const [item] = (
      await searchIntakeRecords(db, desk, { serviceCode: 'A2.07', from: '2025-03-01T00:00:00Z' })
    ).items;
    expect(item).toMatchObject({
      needCodes: ['ELD'],
      serviceCodes: ['A2.07'],
      subjectTaxCode,
      accessKind: 'CITIZEN',
      status: 'OPEN',
    });
    expect(Object.keys(item!)).not.toContain('social');
  });

  it('should audit a search without the identifying values', async () => {
    await searchIntakeRecords(db, desk, { subjectTaxCode });
    const [row] = await db.query<{
      action: string;
      details: { filter: Record<string, unknown> };
      person_id: string;
    }>(
      `SELECT action, details, person_id FROM audit_log WHERE action = 'SEARCH' AND entity = 'IntakeRecord' ORDER BY id DESC LIMIT 1`,
    );
    expect(row!.details.filter.subjectTaxCode).toBe('***');
    expect(row!.person_id).toBe(created.a!.subject!.personId);
  });

  it('should export the filtered list with Italian labels, audited', async () => {
    const rows = await listIntakeExportRows(db, desk, {
      from: '2025-03-01T00:00:00Z',
      to: '2025-05-01T00:00:00Z',
    });
    expect(rows.map((r) => r.id)).toEqual(['d', 'c', 'b', 'a'].map((k) => created[k]!.id));
    expect(rows[1]).toMatchObject({
      outcomeLabel: 'Mediazione culturale',
      statusLabel: 'Chiusa',
      accessKindLabel: 'Accesso da parte di utente in stato di necessità',
    });
    const [audit] = await db.query<{ action: string; details: { rows: number } }>(
      `SELECT action, details FROM audit_log WHERE action = 'EXPORT' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit!.details.rows).toBe(4);
  });
});

describe('operator functions', () => {
  it('should duplicate a record into a new open one, rules checked again, attachments left behind', async () => {
    const source = await createIntakeRecord(
      db,
      desk,
      citizenInput({
        ...sensitive,
        referencePersons: [
          { relationship: 'CAREGIVER', fullName: 'Lucia Bassi', phone: '075 000000' },
        ],
        services: [
          {
            code: 'A2.07',
            workingMinutes: 45,
            attachments: [{ fileName: 'isee.pdf', mediaType: 'application/pdf', sizeBytes: 1024 }],
          },
        ],
        close: { outcome: 'REFERRAL' },
      }),
    );
    const copy = await duplicateIntakeRecord(db, desk, source.id);
    expect(copy.id).not.toBe(source.id);
    expect(copy).toMatchObject({
      duplicatedFromId: source.id,
      status: 'OPEN',
      outcome: null,
      subject: { personId: source.subject!.personId },
      social: sensitive.social,
      needs: [{ code: 'POV' }],
      referencePersons: [{ fullName: 'Lucia Bassi' }],
    });
    expect(copy.services.map((s) => [s.code, s.workingMinutes, s.attachments.length])).toEqual([
      ['A2.07', 0, 0],
    ]);
    expect(source.services[0]!.attachments).toHaveLength(1);
  });

  it('should keep a service request and its attachments when an update names it', async () => {
    const record = await createIntakeRecord(
      db,
      desk,
      citizenInput({
        services: [
          {
            code: 'A2.01',
            attachments: [{ fileName: 'a.pdf', mediaType: 'application/pdf', sizeBytes: 10 }],
          },
        ],
      }),
    );
    const requestId = record.services[0]!.id;
    const updated = await updateIntakeRecord(db, desk, record.id, {
      services: [
        {
          id: requestId,
          code: 'A2.01',
          state: 'FORWARDED',
          workingMinutes: 20,
          attachments: [{ fileName: 'b.pdf', mediaType: 'application/pdf', sizeBytes: 20 }],
        },
        { code: 'A1.06' },
      ],
    });
    expect(
      updated.services.map((s) => [
        s.id === requestId,
        s.code,
        s.state,
        s.workingMinutes,
        s.attachments.map((a) => a.fileName),
      ]),
    ).toEqual([
      [true, 'A2.01', 'FORWARDED', 20, ['a.pdf', 'b.pdf']],
      [false, 'A1.06', 'REQUESTED', 0, []],
    ]);
  });

  it('should send a record to another desk of the organisation, and refuse a desk of another body', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput());
    await expect(
      sendIntakeToDesk(db, desk, record.id, { contactPointId: world.fx.contactPoints.puaTr }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const sent = await sendIntakeToDesk(db, desk, record.id, {
      contactPointId: world.fx.contactPoints.immigrantPg,
      note: 'per mediazione',
    });
    expect(sent).toMatchObject({
      status: 'SENT',
      contactPointId: world.fx.contactPoints.immigrantPg,
    });
    expect(sent.transfers).toEqual([
      expect.objectContaining({
        fromContactPointId: world.fx.contactPoints.puaPg,
        toContactPointId: world.fx.contactPoints.immigrantPg,
      }),
    ]);
    expect(sent.diary.at(-1)).toMatchObject({ kind: 'TRANSFER' });
    // The receiving desk works on it.
    const edited = await updateIntakeRecord(db, world.actors.immigrantDeskPg, record.id, {
      summary: 'ricevuta',
    });
    expect(edited.summary).toBe('ricevuta');
  });

  it('should offer as targets the desks of the organisation only, and refuse those who may not send', async () => {
    const targets = await listIntakeSendTargets(db, desk);
    const ids = targets.map((t) => t.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        world.fx.contactPoints.puaPg,
        world.fx.contactPoints.immigrantPg,
        world.fx.contactPoints.urpPg,
      ]),
    );
    // Every one offered is one sendIntakeToDesk accepts: none of another body.
    expect(ids).not.toContain(world.fx.contactPoints.puaTr);
    expect(targets.find((t) => t.id === world.fx.contactPoints.immigrantPg)).toMatchObject({
      name: 'Sportello immigrati Perugia',
      kind: 'IMMIGRANT_DESK',
      officeName: 'Servizio sociale professionale – Perugia',
    });
    await expect(listIntakeSendTargets(db, world.actors.plannerRegion)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const [denied] = await db.query<{ entity: string }>(
      `SELECT entity FROM audit_log WHERE outcome = 'DENIED' ORDER BY id DESC LIMIT 1`,
    );
    expect(denied?.entity).toBe('ContactPoint');
  });

  it('should propose a record for taking into care, visible to the office’s social workers', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput());
    const proposed = await proposeIntakeForCare(db, desk, record.id, {
      notes: 'situazione complessa',
    });
    expect(proposed).toMatchObject({
      status: 'PROPOSED',
      outcome: 'PROPOSAL_TAKE_INTO_CARE',
      proposedOfficeId: world.fx.offices.perugia,
      outcomeNotes: 'situazione complessa',
    });
    const queue = await searchIntakeRecords(db, world.actors.socialWorkerPg, {
      proposedOfficeId: world.fx.offices.perugia,
    });
    expect(queue.items.map((i) => i.id)).toContain(record.id);
    await expect(
      searchIntakeRecords(db, world.actors.frontDeskTr, {
        proposedOfficeId: world.fx.offices.perugia,
      }),
    ).resolves.toEqual({ items: [], nextCursor: null });
    await expect(
      proposeIntakeForCare(db, desk, record.id, { officeId: world.fx.offices.terni }),
    ).rejects.toMatchObject({ code: 'RECORD_CLOSED' });
  });

  it('should refuse to propose to an office of another organisation', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput());
    await expect(
      proposeIntakeForCare(db, desk, record.id, { officeId: world.fx.offices.terni }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.proposedOfficeId',
    });
  });

  it('should soft-delete with a reason, audited, and hide the record from then on', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput());
    await expect(deleteIntakeRecord(db, desk, record.id, { reason: '' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(
      deleteIntakeRecord(db, world.actors.frontDeskTr, record.id, { reason: 'errore' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await deleteIntakeRecord(db, desk, record.id, { reason: 'scheda inserita per errore' });
    await expect(getIntakeRecord(db, desk, record.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (await searchIntakeRecords(db, desk, { subjectPersonId: record.subject!.personId })).items,
    ).toEqual([]);
    const [row] = await db.query<{ deleted_by: string; deletion_reason: string }>(
      'SELECT deleted_by, deletion_reason FROM intake_record WHERE id = $1 AND deleted_at IS NOT NULL',
      [record.id],
    );
    expect(row).toEqual({ deleted_by: desk.id, deletion_reason: 'scheda inserita per errore' });
    const audits = await db.query<{ actor_id: string; outcome: string; reason: string }>(
      `SELECT actor_id, outcome, reason FROM audit_log WHERE action = 'DELETE' AND entity_id = $1 ORDER BY id`,
      [record.id],
    );
    expect(audits).toEqual([
      { actor_id: 'sportello.tr', outcome: 'DENIED', reason: expect.stringMatching(/^FORBIDDEN/) },
      { actor_id: 'sportello.pg', outcome: 'OK', reason: 'scheda inserita per errore' },
    ]);
  });

  it('should refuse a diary entry dated in the future', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput());
    await expect(
      addIntakeDiaryEntry(db, desk, record.id, { text: 'x', at: new Date(Date.now() + 3_600_000) }),
    ).rejects.toMatchObject({ code: 'FUTURE_DATE', field: 'input.at' });
  });

  it('should default the desk to the operator’s own, and refuse a write by an admin-staff-less planner', async () => {
    const record = await createIntakeRecord(db, desk, citizenInput({ occurredAt: hoursAgo(1) }));
    expect(record.contactPointId).toBe(world.fx.contactPoints.puaPg);
    await expect(
      createIntakeRecord(
        db,
        world.actors.plannerRegion,
        citizenInput({ contactPointId: world.fx.contactPoints.puaPg }),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      createIntakeRecord(db, world.actors.socialWorkerPg, citizenInput()),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contactPointId' });
  });
});

describe('ids', () => {
  it('should answer NOT_FOUND for an id that is not a uuid', async () => {
    await expect(getIntakeRecord(db, desk, 'not-a-uuid')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      getIntakeRecord(db, world.actors.plannerRegion, 'not-a-uuid'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
