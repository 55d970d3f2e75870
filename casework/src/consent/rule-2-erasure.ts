// Rule 2 (seed 003 1.2): "In caso di diniego rimane agli atti (nel sistema) la sola segnalazione
// del pubblico ufficiale". When the person denies or withdraws consent to an organisation, every
// public official's report about them in that organisation's line keeps the report alone, at
// once, whatever its status (open or closed): needs, requested services, social, health and
// economic data, foreign-citizen data, reference persons and the narrative diary go; so does the
// permit copied into the person the organisation registered. Each erasure is audited with what
// it removed.
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.ts';
import type { Queryable } from '../db/db.ts';
import {
  deleteAllServiceRequests,
  deleteNarrativeDiary,
  insertDiaryEntry,
  replaceNeeds,
  replaceReferencePersons,
  updateIntakeRow,
} from '../intake/intake.store.ts';
import { ORGANIZATION_LINE_SQL } from '../organizations/organization-line.ts';

export type ErasureResult = { reports: string[]; permitErased: boolean };

export async function eraseAfterDenial(
  tx: Queryable,
  actor: Actor,
  c: {
    personId: string;
    organizationId: string;
    consentId: string;
    status: 'DENIED' | 'WITHDRAWN';
  },
): Promise<ErasureResult> {
  const reports = await tx.query<{
    id: string;
    needs: number;
    services: number;
    references: number;
    diary: number;
  }>(
    `${ORGANIZATION_LINE_SQL('$2::uuid')}
     SELECT r.id,
            (SELECT count(*)::int FROM intake_need n WHERE n.intake_id = r.id) AS needs,
            (SELECT count(*)::int FROM intake_service_request s WHERE s.intake_id = r.id) AS services,
            (SELECT count(*)::int FROM intake_reference_person p WHERE p.intake_id = r.id) AS "references",
            (SELECT count(*)::int FROM intake_diary_entry d WHERE d.intake_id = r.id
                AND d.kind NOT IN ('STATUS_CHANGE', 'TRANSFER')) AS diary
       FROM intake_record r
      WHERE r.subject_person_id = $1 AND r.access_kind = 'PUBLIC_OFFICIAL' AND r.deleted_at IS NULL
        AND r.organization_id IN (SELECT id FROM line)
      ORDER BY r.occurred_at
      FOR UPDATE OF r`,
    [c.personId, c.organizationId],
  );
  const operatorId = actor.kind === 'OPERATOR' ? actor.id : null;
  for (const r of reports) {
    await replaceNeeds(tx, r.id, []);
    await replaceReferencePersons(tx, r.id, []);
    await deleteAllServiceRequests(tx, r.id);
    await deleteNarrativeDiary(tx, r.id);
    await updateIntakeRow(
      tx,
      r.id,
      {
        consentId: c.consentId,
        consentStatus: c.status,
        consentGivenBy: null,
        legalBasis: 'LEGAL_OBLIGATION',
        householdSize: null,
        familyNotes: null,
        workConditionCode: null,
        workNotes: null,
        homeless: null,
        housingNotes: null,
        contactsNotes: null,
        healthNotes: null,
        judicialNotes: null,
        judicialMeasureRef: null,
        economicNotes: null,
        citizenship: null,
        permitType: null,
        permitExpiry: null,
      },
      operatorId,
    );
    await insertDiaryEntry(tx, {
      intakeId: r.id,
      at: null,
      kind: 'STATUS_CHANGE',
      text:
        c.status === 'DENIED'
          ? 'Consenso negato: resta agli atti la sola segnalazione del pubblico ufficiale'
          : 'Consenso revocato: resta agli atti la sola segnalazione del pubblico ufficiale',
      sensitiveGroup: null,
      operatorId,
      author:
        actor.kind === 'OPERATOR'
          ? actor.username
          : actor.kind === 'CLIENT'
            ? actor.clientId
            : actor.id,
    });
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'IntakeRecord',
      entityId: r.id,
      personId: c.personId,
      outcome: 'OK',
      reason: 'rule 2: consent denied, only the public official report stays',
      details: {
        erasure: 'RULE_2',
        consent: c.status,
        consentId: c.consentId,
        removed: {
          needs: r.needs,
          services: r.services,
          referencePersons: r.references,
          diaryEntries: r.diary,
          socialAndForeignCitizenData: true,
        },
      },
    });
  }
  // The permit came with a report; the person the organisation registered keeps no copy of it.
  const permit =
    reports.length === 0
      ? []
      : await tx.query<{ id: string }>(
          `${ORGANIZATION_LINE_SQL('$2::uuid')}
           UPDATE person SET permit_type = NULL, permit_expiry = NULL, updated_at = now()
            WHERE id = $1 AND owner_organization_id IN (SELECT id FROM line)
              AND (permit_type IS NOT NULL OR permit_expiry IS NOT NULL)
            RETURNING id`,
          [c.personId, c.organizationId],
        );
  if (permit.length > 0) {
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'Person',
      entityId: c.personId,
      personId: c.personId,
      outcome: 'OK',
      reason: 'rule 2: consent denied, permit data erased',
      details: { erasure: 'RULE_2', removed: ['permitType', 'permitExpiry'] },
    });
  }
  return { reports: reports.map((r) => r.id), permitErased: permit.length > 0 };
}
