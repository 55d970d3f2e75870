// Test helpers for the case-file suites (not exported from the package).
import type { ClientActor, OperatorActor } from '../access/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { type Fixture, seedFixture } from '../testing/fixture.ts';
import { SINBA_ASSESSMENT_DATA } from '../testing/sinba.ts';
import { shiftDay, todayInRome } from '../time/today.ts';
import { openCaseFile } from './take-into-care.service.ts';

const origin = { ip: '127.0.0.1', userAgent: 'vitest' };

export const daysAgo = (n: number) => shiftDay(todayInRome(), -n);
export const daysFromNow = (n: number) => daysAgo(-n);

export type CaseWorld = {
  db: Db;
  fx: Fixture;
  /** A second-level office (affidi) of the Perugia zone. */
  fosterOfficeId: string;
  actors: {
    /** Social worker of the Perugia office: opens the cases in most tests. */
    worker: OperatorActor;
    /** Another social worker of the same office, not enabled unless a test enables them. */
    colleague: OperatorActor;
    coordinator: OperatorActor;
    frontDesk: OperatorActor;
    /** Front-desk operator at the immigrant desk (HEALTH and JUDICIAL masked). */
    immigrantDesk: OperatorActor;
    /** Social worker of another organisation (Terni zone). */
    otherOrgWorker: OperatorActor;
    /** Social worker of the second-level foster-care office. */
    fosterWorker: OperatorActor;
  };
  client: (scopes: string[], organizationId?: string) => ClientActor;
};

export async function createCaseWorld(): Promise<CaseWorld> {
  const db = await createTestDb();
  const fx = await db.transaction((tx) => seedFixture(tx));
  const extra = await db.transaction(async (tx) => {
    const op = async (username: string, officeId: string, role: string) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO operator (username, full_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`,
        [username],
      );
      await tx.query(`INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, $3)`, [
        row!.id,
        officeId,
        role,
      ]);
      return row!.id;
    };
    const [foster] = await tx.query<{ id: string }>(
      `INSERT INTO office (organization_id, name, level, scope, sector)
       VALUES ($1, 'Servizio affidi – Perugia', 2, 'THEMATIC', 'Minori') RETURNING id`,
      [fx.organizations.perugia],
    );
    // The ASL and the Perugia zone share case data under a convenzione (data-sharing agreement).
    await tx.query(
      `INSERT INTO data_sharing_agreement (organization_id, partner_organization_id, purpose, reference, valid_from)
       VALUES ($1, $2, 'Integrazione socio-sanitaria', 'Convenzione n. 1/2024', '2024-01-01')`,
      [fx.organizations.perugia, fx.organizations.asl],
    );
    return {
      otherOrgWorker: await op('as.tr', fx.offices.terni, 'SOCIAL_WORKER'),
      fosterWorker: await op('affidi.pg', foster!.id, 'SOCIAL_WORKER'),
      fosterOfficeId: foster!.id,
    };
  });
  const load = async (id: string) => (await loadOperatorActor(db, id, origin))!;
  const o = fx.operators;
  return {
    db,
    fx,
    fosterOfficeId: extra.fosterOfficeId,
    actors: {
      worker: await load(o.socialWorkerPg),
      colleague: await load(o.socialWorker2Pg),
      coordinator: await load(o.coordinatorPg),
      frontDesk: await load(o.frontDeskPg),
      immigrantDesk: await load(o.immigrantDeskPg),
      otherOrgWorker: await load(extra.otherOrgWorker),
      fosterWorker: await load(extra.fosterWorker),
    },
    client: (scopes, organizationId = fx.organizations.asl) => ({
      kind: 'CLIENT',
      id: '00000000-0000-4000-8000-00000000c11e',
      clientId: 'asl-test',
      organizationId,
      organizationIds: [organizationId],
      scopes,
      origin,
    }),
  };
}

let sequence = 0;

/** A new person owned by the Perugia zone (no codice fiscale needed here). */
export async function newPerson(
  q: Queryable,
  w: CaseWorld,
  overrides: { birthDate?: string; taxCode?: string | null } = {},
): Promise<string> {
  sequence += 1;
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO person (first_name, last_name, sex, birth_date, residence_municipality, owner_organization_id,
       tax_code)
     VALUES ('Anna', $1, 'F', $2, '054039', $3, $4) RETURNING id`,
    [
      `Caso${sequence}`,
      overrides.birthDate ?? '1950-04-10',
      w.fx.organizations.perugia,
      overrides.taxCode ?? null,
    ],
  );
  return row!.id;
}

export type ProposedIntakeOptions = {
  personId?: string | null;
  officeId?: string;
  accessKind?: 'CITIZEN' | 'JUDICIAL_AUTHORITY' | 'PUBLIC_OFFICIAL' | 'LEGAL_REPRESENTATIVE';
  workConditionCode?: string | null;
  homeless?: boolean | null;
  /** Proposed this many days ago (closed_at); a judicial proposal's deadline runs from then. */
  proposedDaysAgo?: number;
  referencePersons?: {
    relationship: 'RELATIVE' | 'ACQUAINTANCE' | 'CAREGIVER' | 'OTHER';
    fullName: string;
  }[];
};

/** An intake record in status PROPOSED for the office, as the front desk leaves it. */
export async function proposedIntake(
  w: CaseWorld,
  options: ProposedIntakeOptions = {},
): Promise<string> {
  const personId = options.personId === undefined ? await newPerson(w.db, w) : options.personId;
  const kind = options.accessKind ?? 'CITIZEN';
  return w.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel, access_kind,
         legal_basis, interlocutor_kind, subject_person_id, status, outcome, proposed_office_id,
         work_condition_code, homeless, housing_notes, summary, closed_at)
       VALUES ($1, $2, $3, now() - interval '3 days', $4, $5, $6, $7, $8, 'PROPOSED', 'PROPOSAL_TAKE_INTO_CARE', $9,
               $10, $11, $12, 'Richiesta di aiuto',
               CASE WHEN $13::int IS NULL THEN NULL ELSE now() - $13::int * interval '1 day' END)
       RETURNING id`,
      [
        w.fx.organizations.perugia,
        w.fx.offices.perugia,
        w.fx.contactPoints.puaPg,
        kind === 'PUBLIC_OFFICIAL' || kind === 'JUDICIAL_AUTHORITY'
          ? 'WRITTEN_REPORT'
          : 'IN_PERSON',
        kind,
        kind === 'JUDICIAL_AUTHORITY' ? 'JUDICIAL_MANDATE' : 'CONSENT',
        kind === 'JUDICIAL_AUTHORITY'
          ? 'JUDICIAL_AUTHORITY'
          : kind === 'PUBLIC_OFFICIAL'
            ? 'INSTITUTIONAL'
            : 'SUBJECT',
        personId,
        options.officeId ?? w.fx.offices.perugia,
        options.workConditionCode ?? null,
        options.homeless ?? null,
        options.homeless ? 'dorme in auto' : null,
        options.proposedDaysAgo ?? null,
      ],
    );
    for (const [i, r] of (options.referencePersons ?? []).entries()) {
      await tx.query(
        `INSERT INTO intake_reference_person (intake_id, position, relationship, full_name) VALUES ($1, $2, $3, $4)`,
        [row!.id, i, r.relationship, r.fullName],
      );
    }
    return row!.id;
  });
}

export const interview = (overrides: Record<string, unknown> = {}) => ({
  on: daysAgo(1),
  place: 'Ufficio',
  withWhom: "l'utente",
  summary: 'Primo colloquio: racconta la perdita del lavoro e le difficoltà con l’affitto.',
  problems: [
    { scheme: 'HUB', code: 'WORK' },
    { scheme: 'HUB', code: 'HOUSING' },
  ],
  ...overrides,
});

/** A case file opened by `w.actors.worker` from a fresh proposal; returns its id and person. */
export async function openedCase(
  w: CaseWorld,
  options: ProposedIntakeOptions = {},
): Promise<{ caseFileId: string; personId: string; intakeRecordId: string }> {
  const personId = options.personId ?? (await newPerson(w.db, w));
  const intakeRecordId = await proposedIntake(w, { ...options, personId });
  const { caseFileId } = await openCaseFile(w.db, w.actors.worker, intakeRecordId, {
    targetAreaCode: 'POV',
    openedOn: daysAgo(1),
    firstInterview: interview(),
  });
  return { caseFileId, personId, intakeRecordId };
}

/** Row counts of everything a case-file write touches. */
export async function caseCounts(q: Queryable): Promise<Record<string, number>> {
  const tables = [
    'case_file',
    'intake_evaluation',
    'case_file_intake',
    'case_status_history',
    'case_operator',
    'case_organization_access',
    'case_resource',
    'case_social_data',
    'case_invalidity',
    'case_disability',
    'case_court_measure',
    'case_note',
    'case_school',
    'case_isee',
    'case_document',
    'professional_activity',
    'case_problem',
    'diary_entry',
    'case_referral',
    'assessment',
    'individual_project',
    'care_plan',
    'care_plan_goal',
    'care_plan_intervention',
    'care_plan_review',
    'foster_care_plan',
    'residential_placement',
    'placement_service',
  ];
  const [row] = await q.query<Record<string, number>>(
    `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
  );
  return row!;
}

/** Audit rows of one outcome for a person (newest first). */
export async function auditRows(q: Queryable, personId: string, outcome: 'OK' | 'DENIED') {
  return q.query<{
    action: string;
    entity: string;
    actorId: string;
    reason: string | null;
    entityId: string | null;
  }>(
    `SELECT action, entity, actor_id AS "actorId", reason, entity_id AS "entityId"
       FROM audit_log WHERE person_id = $1 AND outcome = $2 ORDER BY id DESC`,
    [personId, outcome],
  );
}

/** A complete SINBA record (SINBA.xsd SinbaType) for a 10-year-old. */
export const VALID_SINBA = {
  IDBeneficiario: 'A1B2C3D4E5F6A7B8C9D0',
  ...SINBA_ASSESSMENT_DATA,
  FasciaEtaBeneficiario: '4',
  AnnoNascita: '2015',
  CodiceNazioneResidenza: '380',
};
