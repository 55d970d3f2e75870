// Issue 11: whom the social worker may refer a case file to. The list is the rule createReferral
// applies (the case's organisation line, or a data-sharing agreement in force), only for an
// operator enabled on the case, and a refusal is audited with nothing else written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../../access/actor.ts';
import { loadOperatorActor } from '../../operators/operator-auth.service.ts';
import {
  recordDataSharingAgreement,
  revokeDataSharingAgreement,
  sharingBasis,
  sharingPartners,
} from '../../organizations/data-sharing.ts';
import { refusal } from '../../testing/refusal.ts';
import { grantOrganizationAccess } from '../case-access-list.service.ts';
import {
  auditRows,
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  openedCase,
} from '../case-file.fixtures.ts';
import { today } from '../case-file.util.ts';
import { createReferral } from './dossier.service.ts';
import { listReferralTargets, type ReferralTargets } from './referral-targets.service.ts';

let w: CaseWorld;
let admin: OperatorActor;
let caseFileId: string;
let personId: string;
let aslOfficeId: string;
let aslWorkerId: string;

beforeAll(async () => {
  w = await createCaseWorld();
  admin = (await loadOperatorActor(w.db, w.fx.operators.admin, { ip: null, userAgent: null }))!;
  ({ caseFileId, personId } = await openedCase(w));
  // The ASL (under the fixture's convenzione with the Perugia zone) gets a service and a worker.
  await w.db.transaction(async (tx) => {
    const [office] = await tx.query<{ id: string }>(
      `INSERT INTO office (organization_id, name, level, scope, sector)
       VALUES ($1, 'Centro di salute mentale – Perugia', 2, 'THEMATIC', 'Salute mentale') RETURNING id`,
      [w.fx.organizations.asl],
    );
    const [op] = await tx.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ('csm.asl', 'csm.asl', 'x') RETURNING id`,
    );
    await tx.query(
      `INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, 'SOCIAL_WORKER')`,
      [op!.id, office!.id],
    );
    aslOfficeId = office!.id;
    aslWorkerId = op!.id;
  });
});
afterAll(() => w.db.close());

const officeIds = (t: ReferralTargets) => t.offices.map((o) => o.id).sort();
const operatorIds = (t: ReferralTargets) => t.operators.map((o) => o.id).sort();
const sorted = (ids: string[]) => [...ids].sort();

describe('referral targets of a case file', () => {
  it('should list the offices, operators and bodies of the line and of the agreements, audited', async () => {
    const t = await listReferralTargets(w.db, w.actors.worker, caseFileId);
    expect(officeIds(t)).toEqual(sorted([w.fx.offices.perugia, w.fosterOfficeId, aslOfficeId]));
    expect(t.offices.find((o) => o.id === w.fosterOfficeId)).toMatchObject({
      level: 2,
      organizationId: w.fx.organizations.perugia,
      basis: 'SAME_LINE',
    });
    expect(t.offices.find((o) => o.id === aslOfficeId)).toMatchObject({
      name: 'Centro di salute mentale – Perugia',
      organizationName: 'USL Umbria 1',
      basis: 'AGREEMENT',
    });
    // Social workers and coordinators, not the caller, not a front desk, not Terni's.
    expect(operatorIds(t)).toEqual(
      sorted([
        w.actors.colleague.id,
        w.actors.coordinator.id,
        w.actors.fosterWorker.id,
        aslWorkerId,
      ]),
    );
    expect(t.operators.find((o) => o.id === aslWorkerId)).toMatchObject({
      officeId: aslOfficeId,
      basis: 'AGREEMENT',
    });
    expect(t.organizations).toEqual([
      { id: w.fx.organizations.asl, name: 'USL Umbria 1', basis: 'AGREEMENT' },
    ]);
    const [ok] = await auditRows(w.db, personId, 'OK');
    expect(ok).toMatchObject({ action: 'READ', entity: 'ReferralTarget', entityId: caseFileId });
  });

  it('should offer only receivers createReferral accepts', async () => {
    const t = await listReferralTargets(w.db, w.actors.worker, caseFileId);
    for (const o of t.offices) {
      const r = await createReferral(w.db, w.actors.worker, caseFileId, {
        kind: o.level === 2 ? 'SECOND_LEVEL' : 'SERVICE',
        toOfficeId: o.id,
        reason: `Invio a ${o.name}`,
        on: daysAgo(0),
      });
      expect(r.toOfficeId).toBe(o.id);
    }
    const asl = t.operators.find((o) => o.id === aslWorkerId)!;
    const r = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OPERATOR',
      toOperatorId: asl.id,
      reason: 'Valutazione del CSM',
    });
    expect(r.status).toBe('SENT');
  });

  it('should match sharingBasis for every organisation', async () => {
    const orgs = Object.values(w.fx.organizations);
    const from = w.fx.organizations.perugia;
    const partners = await sharingPartners(w.db, from, today());
    for (const org of orgs) {
      expect(partners.get(org) ?? null, org).toEqual(await sharingBasis(w.db, from, org, today()));
    }
  });

  it('should refuse an operator not enabled on the case: FORBIDDEN, audited, nothing written', async () => {
    for (const actor of [w.actors.colleague, w.actors.otherOrgWorker, w.actors.frontDesk]) {
      const before = await caseCounts(w.db);
      const err = await refusal(listReferralTargets(w.db, actor, caseFileId));
      expect([err.code, err.field]).toEqual(['FORBIDDEN', undefined]);
      expect(await caseCounts(w.db)).toEqual(before);
      const [denied] = await auditRows(w.db, personId, 'DENIED');
      expect(denied).toMatchObject({
        action: 'READ',
        entity: 'ReferralTarget',
        entityId: caseFileId,
        actorId: actor.username,
        reason: 'operator not enabled on the case file',
      });
    }
  });

  it('should refuse a partner client, even one granted to read the case', async () => {
    await grantOrganizationAccess(w.db, w.actors.coordinator, caseFileId, {
      organizationId: w.fx.organizations.asl,
      reason: 'Integrazione socio-sanitaria',
    });
    const before = await caseCounts(w.db);
    const err = await refusal(listReferralTargets(w.db, w.client(['cases:read']), caseFileId));
    expect(err.code).toBe('FORBIDDEN');
    expect(await caseCounts(w.db)).toEqual(before);
    const [denied] = await auditRows(w.db, personId, 'DENIED');
    expect(denied).toMatchObject({
      entity: 'ReferralTarget',
      reason: 'partner clients do not refer case files',
    });
  });

  it('should answer NOT_FOUND for an unknown case file', async () => {
    const err = await refusal(
      listReferralTargets(w.db, w.actors.worker, '00000000-0000-4000-8000-000000000000'),
    );
    expect([err.code, err.field]).toEqual(['NOT_FOUND', 'caseFileId']);
  });

  it('should list no other organisation without an agreement in force: none, expired, revoked', async () => {
    const terniOffice = w.fx.offices.terni;
    const has = async () => {
      const t = await listReferralTargets(w.db, w.actors.worker, caseFileId);
      return {
        office: officeIds(t).includes(terniOffice),
        operator: operatorIds(t).includes(w.actors.otherOrgWorker.id),
        organization: t.organizations.some((o) => o.id === w.fx.organizations.terni),
      };
    };
    const none = { office: false, operator: false, organization: false };
    expect(await has()).toEqual(none);
    // Neither the region above the zones (outside the line) nor its office.
    const t = await listReferralTargets(w.db, w.actors.worker, caseFileId);
    expect(officeIds(t)).not.toContain(w.fx.offices.region);
    expect(t.organizations.map((o) => o.id)).not.toContain(w.fx.organizations.region);

    await w.db.query(
      `INSERT INTO data_sharing_agreement (organization_id, partner_organization_id, purpose, reference, valid_from, valid_to)
       VALUES ($1, $2, 'Scaduto', 'Protocollo 1/2020', '2020-01-01', '2020-12-31')`,
      [w.fx.organizations.terni, w.fx.organizations.perugia],
    );
    expect(await has()).toEqual(none);

    // Recorded by the other side: an agreement binds both.
    const agreement = await recordDataSharingAgreement(w.db, admin, {
      organizationId: w.fx.organizations.terni,
      partnerOrganizationId: w.fx.organizations.perugia,
      purpose: 'Presa in carico condivisa di nuclei residenti in entrambe le zone',
      reference: 'Protocollo d’intesa n. 7/2026',
      validFrom: daysAgo(10),
    });
    expect(await has()).toEqual({ office: true, operator: true, organization: true });
    const withAgreement = await listReferralTargets(w.db, w.actors.worker, caseFileId);
    expect(withAgreement.offices.find((o) => o.id === terniOffice)?.basis).toBe('AGREEMENT');

    await revokeDataSharingAgreement(w.db, admin, agreement.id);
    expect(await has()).toEqual(none);
  });
});
