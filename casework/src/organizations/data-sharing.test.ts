// Issue 8, defect 10: a case file's access list, its referrals and its organisation grants reach
// another organisation only under a data-sharing agreement in force, and the audit says which.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import {
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  openedCase,
} from '../case-file/case-file.fixtures.ts';
import { enableCaseOperator, grantOrganizationAccess } from '../case-file/case-file.service.ts';
import { answerReferral, createReferral } from '../case-file/dossier/dossier.service.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { refusal } from '../testing/refusal.ts';
import {
  listDataSharingAgreements,
  recordDataSharingAgreement,
  revokeDataSharingAgreement,
} from './data-sharing.ts';

let w: CaseWorld;
let admin: OperatorActor;
let caseFileId: string;

const lastAudit = async (actorId: string) =>
  (
    await w.db.query<{
      outcome: string;
      reason: string | null;
      details: Record<string, unknown> | null;
    }>(
      'SELECT outcome, reason, details FROM audit_log WHERE actor_id = $1 ORDER BY id DESC LIMIT 1',
      [actorId],
    )
  )[0];

const agreementTerni = () =>
  recordDataSharingAgreement(w.db, admin, {
    organizationId: w.fx.organizations.perugia,
    partnerOrganizationId: w.fx.organizations.terni,
    purpose: 'Presa in carico condivisa di nuclei residenti in entrambe le zone',
    reference: 'Protocollo d’intesa n. 7/2026',
    validFrom: '2026-01-01',
  });

beforeAll(async () => {
  w = await createCaseWorld();
  admin = (await loadOperatorActor(w.db, w.fx.operators.admin, { ip: null, userAgent: null }))!;
  ({ caseFileId } = await openedCase(w));
});
afterAll(() => w.db.close());

describe('data-sharing agreements between organisations', () => {
  it('should refuse enabling another organisation’s operator without one, audited, nothing written', async () => {
    const before = await caseCounts(w.db);
    const err = await refusal(
      enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
        operatorId: w.actors.otherOrgWorker.id,
        operatorType: 'SOCIAL_WORKER',
      }),
    );
    expect([err.code, err.field]).toEqual(['NO_SHARING_AGREEMENT', 'input.operatorId']);
    expect(await caseCounts(w.db)).toEqual(before);
    expect(await lastAudit('coord.pg')).toMatchObject({
      outcome: 'DENIED',
      reason: 'no data-sharing agreement between the organisations',
    });
  });

  it('should refuse a referral to another organisation’s office without one', async () => {
    const err = await refusal(
      createReferral(w.db, w.actors.worker, caseFileId, {
        kind: 'SERVICE',
        toOfficeId: w.fx.offices.terni,
        reason: 'Trasferimento di residenza a Terni',
      }),
    );
    expect([err.code, err.field]).toEqual(['NO_SHARING_AGREEMENT', 'input.toOfficeId']);
    expect(await lastAudit('as.pg')).toMatchObject({ outcome: 'DENIED' });
  });

  it('should refuse granting an organisation without one', async () => {
    const err = await refusal(
      grantOrganizationAccess(w.db, w.actors.coordinator, caseFileId, {
        organizationId: w.fx.organizations.terni,
        reason: 'consultazione',
      }),
    );
    expect(err.code).toBe('NO_SHARING_AGREEMENT');
  });

  it('should let only administrators record agreements', async () => {
    const err = await refusal(
      recordDataSharingAgreement(w.db, w.actors.coordinator, {
        organizationId: w.fx.organizations.perugia,
        partnerOrganizationId: w.fx.organizations.terni,
        purpose: 'x'.repeat(10),
        reference: 'Delibera 1',
        validFrom: '2026-01-01',
      }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(await lastAudit('coord.pg')).toMatchObject({ outcome: 'DENIED' });
  });

  it('should allow them under an agreement in force, name it in the audit, and stop at its revocation', async () => {
    const agreement = await agreementTerni();
    await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.otherOrgWorker.id,
      operatorType: 'SOCIAL_WORKER',
    });
    expect((await lastAudit('coord.pg'))?.details).toMatchObject({
      sharingAgreementId: agreement.id,
    });
    const referral = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'SERVICE',
      toOfficeId: w.fx.offices.terni,
      reason: 'Trasferimento di residenza a Terni',
    });
    expect(
      (await listDataSharingAgreements(w.db, w.actors.coordinator)).map((a) => a.id),
    ).toContain(agreement.id);

    await revokeDataSharingAgreement(w.db, admin, agreement.id);
    // Accepting the referral would bring a Terni operator in: the agreement no longer holds.
    const coordTerni: OperatorActor = {
      ...w.actors.otherOrgWorker,
      memberships: w.actors.otherOrgWorker.memberships.map((m) => ({ ...m, role: 'COORDINATOR' })),
    };
    const err = await refusal(answerReferral(w.db, coordTerni, referral.id, { accept: true }));
    expect(err.code).toBe('NO_SHARING_AGREEMENT');
    const again = await refusal(
      enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
        operatorId: w.actors.otherOrgWorker.id,
        operatorType: 'SOCIAL_WORKER',
      }),
    );
    expect(again.code).toBe('NO_SHARING_AGREEMENT');
  });

  it('should need none within the organisation line', async () => {
    await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.fosterWorker.id,
      operatorType: 'SOCIAL_WORKER',
    });
    expect((await lastAudit('coord.pg'))?.details).toMatchObject({ sharingAgreementId: null });
  });
});
