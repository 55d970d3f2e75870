// What of an intervention or a delivery a desk's masking withholds (seed 004 "dati mascherati").
// The ISEE is ECONOMIC. Two things say that the person is disabled or receives health care, and
// are HEALTH as the ADD and DIS needs are (issue 8, defect 4): INPS's AreaUtenza 2 (disabilità e
// non autosufficienza) and a health service (A2.08 A.D.I. and the others of
// HEALTH_SERVICE_CODES). A masked value is null and named in maskedFields; for HEALTH the names
// are there whether or not this row held such a value, so that the list tells nothing.
//
// The provider is the one exception, for the service only: it delivers that service under a
// contract that names it, so the code tells it nothing it does not hold. AreaUtenza is a
// reporting attribute it has no need of, and stays masked for it.
import { type Actor, maskedGroupsOf } from '../access/actor.ts';
import { Refusal } from '../access/audited.ts';
import type { Queryable } from '../db/db.ts';
import { selectHealthServiceCodes } from '../service-catalog/service-catalog.store.ts';
import { providerClientOrganization } from './deliveries.access.ts';
import type { Delivery, Intervention } from './deliveries.types.ts';
import type { InterventionRow } from './intervention.store.ts';

/** SIUSS AreaUtenza 2: disabilità e non autosufficienza. */
export const HEALTH_USER_AREA = '2';

const masksHealth = (actor: Actor) => maskedGroupsOf(actor).has('HEALTH');

/** The rows as the caller may see them. */
export async function maskInterventions(
  q: Queryable,
  actor: Actor,
  rows: readonly InterventionRow[],
): Promise<Intervention[]> {
  const groups = maskedGroupsOf(actor);
  const health = groups.has('HEALTH')
    ? await selectHealthServiceCodes(
        q,
        rows.map((r) => r.serviceCode),
      )
    : new Set<string>();
  const provider = providerClientOrganization(actor);
  return rows.map((row) => {
    const {
      iseeValue,
      iseeDsuProtocol,
      iseeDsuOn,
      providerOrganizationId,
      contractReference: _,
      ...rest
    } = row;
    const maskedFields: string[] = [];
    const out: Intervention = {
      ...rest,
      isee:
        iseeValue === null
          ? null
          : { value: iseeValue, dsuProtocol: iseeDsuProtocol ?? '', dsuOn: iseeDsuOn ?? '' },
      maskedFields,
    };
    if (groups.has('ECONOMIC') && out.isee !== null) {
      out.isee = null;
      maskedFields.push('isee');
    }
    if (groups.has('HEALTH')) {
      if (out.userArea === HEALTH_USER_AREA) out.userArea = null;
      maskedFields.push('userArea');
      const delivers = provider !== null && provider === providerOrganizationId;
      if (!delivers) {
        if (health.has(row.serviceCode)) {
          out.serviceCode = null;
          out.standardServiceCode = null;
        }
        maskedFields.push('serviceCode');
      }
    }
    return out;
  });
}

export async function maskIntervention(
  q: Queryable,
  actor: Actor,
  row: InterventionRow,
): Promise<Intervention> {
  return (await maskInterventions(q, actor, [row]))[0]!;
}

/** Those of these service codes the caller may not see: health services, where it masks health. */
export async function hiddenServiceCodes(
  q: Queryable,
  actor: Actor,
  codes: readonly (string | null)[],
): Promise<Set<string>> {
  // A provider's client reads only the deliveries of what it delivers (deliveries.access.ts).
  if (!masksHealth(actor) || providerClientOrganization(actor) !== null) return new Set();
  return selectHealthServiceCodes(
    q,
    codes.filter((c): c is string => c !== null),
  );
}

/**
 * Deliveries (and SIUSS duties, which are deliveries to report) as the caller may see them: a
 * health service's code, and its title where the row has one, absent but for its provider.
 */
export async function maskDeliveries<
  T extends { serviceCode: string | null; serviceTitle?: string | null },
>(q: Queryable, actor: Actor, rows: readonly T[]): Promise<T[]> {
  const hidden = await hiddenServiceCodes(
    q,
    actor,
    rows.map((r) => r.serviceCode),
  );
  return rows.map((r) =>
    r.serviceCode !== null && hidden.has(r.serviceCode)
      ? { ...r, serviceCode: null, ...('serviceTitle' in r ? { serviceTitle: null } : {}) }
      : r,
  );
}

export async function maskDelivery(q: Queryable, actor: Actor, row: Delivery): Promise<Delivery> {
  return (await maskDeliveries(q, actor, [row]))[0]!;
}

/**
 * A desk that masks health neither writes nor filters on a health service or AreaUtenza 2: the
 * filter would answer whether such benefits exist. Refused and audited, naming the field.
 */
export async function refuseHealthAtMaskingDesk(
  q: Queryable,
  actor: Actor,
  what: { serviceCode?: string | null; userArea?: string | null },
  fields: { serviceCode: string; userArea: string },
  audit: { action: 'CREATE' | 'SEARCH' | 'EXPORT'; entity: string; personId: string | null },
): Promise<void> {
  if (!masksHealth(actor) || providerClientOrganization(actor) !== null) return;
  let field: string | null = null;
  if (what.userArea === HEALTH_USER_AREA) field = fields.userArea;
  else if (what.serviceCode && (await selectHealthServiceCodes(q, [what.serviceCode])).size > 0)
    field = fields.serviceCode;
  if (field === null) return;
  throw new Refusal(
    'FORBIDDEN',
    'dato riservato: non visibile né modificabile da questo sportello',
    {
      ...audit,
      entityId: null,
      reason: 'group masked at the desk: HEALTH',
      details: { field, group: 'HEALTH' },
    },
    field,
  );
}
