// Data-sharing agreements between organisations (convenzioni, protocolli d'intesa). Each comune,
// zona sociale, ASL and provider is a data controller of its own (GDPR art. 26 and 28): personal
// data of a case reach another organisation's operator or the organisation itself only under an
// agreement recorded between the two and in force on the day. Within one organisation line (a
// comune and the zona sociale it belongs to) the data stay with the same service and none is
// needed. Administrators record and revoke agreements; coordinators read them.
import { z } from 'zod';
import { type Actor, hasRole } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { ORGANIZATION_LINE_SQL } from './organization-line.ts';

const ENTITY = 'DataSharingAgreement';

export type DataSharingAgreement = {
  id: string;
  organizationId: string;
  organizationName: string;
  partnerOrganizationId: string;
  partnerOrganizationName: string;
  purpose: string;
  reference: string;
  validFrom: string;
  validTo: string | null;
  recordedAt: Date;
  revokedAt: Date | null;
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'data AAAA-MM-GG');
export const recordAgreementInput = z
  .object({
    organizationId: z.string().uuid(),
    partnerOrganizationId: z.string().uuid(),
    purpose: z.string().trim().min(3).max(500),
    reference: z.string().trim().min(3).max(200),
    validFrom: isoDate,
    validTo: isoDate.nullish(),
  })
  .refine((a) => a.organizationId !== a.partnerOrganizationId, {
    message: 'un accordo è tra due enti diversi',
    path: ['partnerOrganizationId'],
  })
  .refine((a) => !a.validTo || a.validTo >= a.validFrom, {
    message: 'la fine precede l’inizio',
    path: ['validTo'],
  });
export type RecordAgreementInput = z.input<typeof recordAgreementInput>;

/** How data may travel from one organisation to another on a day. */
export type SharingBasis = { kind: 'SAME_LINE' } | { kind: 'AGREEMENT'; agreementId: string };

/**
 * The basis for data of `from` to reach `to` on `on`: the same organisation line, or an agreement
 * in force between the two (either may have recorded it); null when there is none.
 */
export async function sharingBasis(
  q: Queryable,
  from: string,
  to: string,
  on: string,
): Promise<SharingBasis | null> {
  const rows = await q.query<{ sameLine: boolean; agreementId: string | null }>(
    `${ORGANIZATION_LINE_SQL('$1::uuid')}
     SELECT $2::uuid IN (SELECT id FROM line) AS "sameLine",
            (SELECT a.id FROM data_sharing_agreement a
              WHERE ((a.organization_id = $1 AND a.partner_organization_id = $2)
                  OR (a.organization_id = $2 AND a.partner_organization_id = $1))
                AND a.revoked_at IS NULL AND a.valid_from <= $3::date
                AND (a.valid_to IS NULL OR a.valid_to >= $3::date)
              ORDER BY a.valid_from DESC LIMIT 1) AS "agreementId"`,
    [from, to, on],
  );
  const row = rows[0];
  if (row?.sameLine) return { kind: 'SAME_LINE' };
  if (row?.agreementId) return { kind: 'AGREEMENT', agreementId: row.agreementId };
  return null;
}

/** Like sharingBasis, for any of the receiver's organisations (an operator's memberships). */
export async function sharingBasisWithAny(
  q: Queryable,
  from: string,
  to: readonly string[],
  on: string,
): Promise<SharingBasis | null> {
  let found: SharingBasis | null = null;
  for (const org of to) {
    const basis = await sharingBasis(q, from, org, on);
    if (basis?.kind === 'SAME_LINE') return basis;
    found ??= basis;
  }
  return found;
}

/**
 * Every organisation data of `from` may reach on `on`, with its basis: sharingBasis for all
 * organisations at once (the same line first, else the newest agreement in force, either side),
 * for the lists of whom a case may be sent to. Organisations missing from the map have none.
 */
export async function sharingPartners(
  q: Queryable,
  from: string,
  on: string,
): Promise<Map<string, SharingBasis>> {
  const line = await q.query<{ id: string }>(
    `${ORGANIZATION_LINE_SQL('$1::uuid')} SELECT id FROM line`,
    [from],
  );
  const agreements = await q.query<{ partnerId: string; agreementId: string }>(
    `SELECT CASE WHEN a.organization_id = $1 THEN a.partner_organization_id ELSE a.organization_id END
              AS "partnerId", a.id AS "agreementId"
       FROM data_sharing_agreement a
      WHERE (a.organization_id = $1 OR a.partner_organization_id = $1)
        AND a.revoked_at IS NULL AND a.valid_from <= $2::date
        AND (a.valid_to IS NULL OR a.valid_to >= $2::date)
      ORDER BY a.valid_from DESC`,
    [from, on],
  );
  const bases = new Map<string, SharingBasis>();
  for (const r of line) bases.set(r.id, { kind: 'SAME_LINE' });
  for (const a of agreements) {
    if (!bases.has(a.partnerId))
      bases.set(a.partnerId, { kind: 'AGREEMENT', agreementId: a.agreementId });
  }
  return bases;
}

/** The refusal when no basis exists; the caller audits it (it is a Refusal). */
export function noAgreement(
  entry: {
    action: 'CREATE' | 'UPDATE';
    entity: string;
    entityId?: string | null;
    personId?: string | null;
  },
  field: string,
  details: Record<string, unknown>,
): Refusal {
  return new Refusal(
    'NO_SHARING_AGREEMENT',
    'tra i due enti non è registrato un accordo di condivisione dei dati in vigore',
    { ...entry, reason: 'no data-sharing agreement between the organisations', details },
    field,
  );
}

const SELECT = `SELECT a.id, a.organization_id AS "organizationId", o.name AS "organizationName",
    a.partner_organization_id AS "partnerOrganizationId", p.name AS "partnerOrganizationName",
    a.purpose, a.reference, a.valid_from AS "validFrom", a.valid_to AS "validTo",
    a.recorded_at AS "recordedAt", a.revoked_at AS "revokedAt"
  FROM data_sharing_agreement a
  JOIN organization o ON o.id = a.organization_id
  JOIN organization p ON p.id = a.partner_organization_id`;

function requireAdministrator(actor: Actor, action: 'CREATE' | 'UPDATE', id?: string): void {
  if (actor.kind === 'SYSTEM' || hasRole(actor, 'ADMINISTRATOR')) return;
  throw new Refusal('FORBIDDEN', 'solo gli amministratori registrano gli accordi tra enti', {
    action,
    entity: ENTITY,
    entityId: id ?? null,
    reason: 'only administrators record data-sharing agreements',
  });
}

/** Records an agreement (administrators). Audited. */
export async function recordDataSharingAgreement(
  db: Db,
  actor: Actor,
  raw: RecordAgreementInput,
): Promise<DataSharingAgreement> {
  const scope = { action: 'CREATE' as const, entity: ENTITY, entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    requireAdministrator(actor, 'CREATE');
    const parsed = recordAgreementInput.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(['input', ...issue.path.map(String)].join('.'), issue.message);
    }
    const input = parsed.data;
    const known = await tx.query<{ id: string }>(
      'SELECT id FROM organization WHERE id = ANY($1::uuid[])',
      [[input.organizationId, input.partnerOrganizationId]],
    );
    for (const field of ['organizationId', 'partnerOrganizationId'] as const) {
      if (!known.some((k) => k.id === input[field]))
        throw new CaseworkError('NOT_FOUND', 'ente non trovato', `input.${field}`);
    }
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO data_sharing_agreement (organization_id, partner_organization_id, purpose,
         reference, valid_from, valid_to, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        input.organizationId,
        input.partnerOrganizationId,
        input.purpose,
        input.reference,
        input.validFrom,
        input.validTo ?? null,
        actor.kind === 'OPERATOR' ? actor.id : null,
      ],
    );
    await audit(tx, actor, {
      action: 'CREATE',
      entity: ENTITY,
      entityId: row!.id,
      outcome: 'OK',
      details: {
        organizationId: input.organizationId,
        partnerOrganizationId: input.partnerOrganizationId,
        reference: input.reference,
      },
    });
    return (await tx.query<DataSharingAgreement>(`${SELECT} WHERE a.id = $1`, [row!.id]))[0]!;
  });
}

/** Revokes an agreement from now on (administrators). Audited. */
export async function revokeDataSharingAgreement(
  db: Db,
  actor: Actor,
  id: string,
): Promise<DataSharingAgreement> {
  const scope = { action: 'UPDATE' as const, entity: ENTITY, entityId: id, personId: null };
  return audited(db, actor, scope, async (tx) => {
    requireAdministrator(actor, 'UPDATE', id);
    const rows = isUuid(id)
      ? await tx.query<{ id: string }>(
          `UPDATE data_sharing_agreement SET revoked_at = now(), revoked_by = $2
            WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
          [id, actor.kind === 'OPERATOR' ? actor.id : null],
        )
      : [];
    if (rows.length === 0)
      throw new CaseworkError('NOT_FOUND', 'accordo non trovato o già revocato', 'id');
    await audit(tx, actor, { action: 'UPDATE', entity: ENTITY, entityId: id, outcome: 'OK' });
    return (await tx.query<DataSharingAgreement>(`${SELECT} WHERE a.id = $1`, [id]))[0]!;
  });
}

/**
 * The agreements of the caller's organisations (administrators: all), newest first. Coordinators
 * read them to know whom a case may reach.
 */
export async function listDataSharingAgreements(
  db: Db,
  actor: Actor,
): Promise<DataSharingAgreement[]> {
  const scope = { action: 'SEARCH' as const, entity: ENTITY, entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    const all = actor.kind === 'SYSTEM' || hasRole(actor, 'ADMINISTRATOR');
    if (!all && !hasRole(actor, 'COORDINATOR')) {
      throw new Refusal('FORBIDDEN', 'non autorizzato a consultare gli accordi tra enti', {
        action: 'SEARCH',
        entity: ENTITY,
        reason: 'only administrators and coordinators read data-sharing agreements',
      });
    }
    const orgs = actor.kind === 'SYSTEM' ? [] : actor.organizationIds;
    return tx.query<DataSharingAgreement>(
      `${SELECT}
        WHERE $1::boolean OR a.organization_id = ANY($2::uuid[])
           OR a.partner_organization_id = ANY($2::uuid[])
        ORDER BY a.recorded_at DESC LIMIT 500`,
      [all, orgs],
    );
  });
}
