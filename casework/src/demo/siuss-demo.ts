// The SIUSS side of the demo year: each zone that delivers sends through the WaaS route what is
// older than a month, INPS (played here through the same services the WaaS API calls) takes it
// and answers, rejecting a few records with a reason the office must deal with; the last month
// stays due, and what was rejected or refused long ago is overdue. Everything goes through the
// services, as the zone's administrative staff and as the `inps-waas` client.
import type { ClientActor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { SIUSS_PULL_SCOPE } from '../siuss/siuss.access.ts';
import {
  buildSiussFlows,
  configureSiussSender,
  type Esito,
  listSiussDuties,
  pullSiussFlows,
  recordSiussOutcomes,
} from '../siuss/siuss.service.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { shiftDay, todayInRome } from '../time/today.ts';
import { createRandom } from './prng.ts';

export type SiussDemoResult = {
  senders: number;
  flows: number;
  accepted: number;
  rejected: number;
  /** Records kept out by the rules or the XSD (their reasons on the SIUSS page). */
  refused: number;
  due: number;
};

const REASONS = [
  'Codice fiscale del beneficiario non presente in Anagrafe Tributaria',
  'Prestazione già presente per il beneficiario nel periodo indicato',
  'Protocollo DSU non coerente con il beneficiario',
  'Codice prestazione non ammesso per il tipo di ente',
];

export async function generateSiussDemo(
  db: Db,
  options: { seed: number },
): Promise<SiussDemoResult> {
  const result: SiussDemoResult = {
    senders: 0,
    flows: 0,
    accepted: 0,
    rejected: 0,
    refused: 0,
    due: 0,
  };
  const random = createRandom(options.seed, 9_009);
  const zones = await db.query<{
    organizationId: string;
    name: string;
    seat: string | null;
    adminId: string | null;
    adminName: string | null;
  }>(
    `SELECT o.id AS "organizationId", o.name,
            coalesce(mo.cadastral_code, ml.cadastral_code) AS seat,
            (SELECT m.operator_id FROM membership m JOIN office f ON f.id = m.office_id
              WHERE f.organization_id = o.id AND m.role = 'ADMIN_STAFF'
              ORDER BY m.operator_id LIMIT 1) AS "adminId",
            (SELECT op.full_name FROM membership m JOIN office f ON f.id = m.office_id
               JOIN operator op ON op.id = m.operator_id
              WHERE f.organization_id = o.id AND m.role = 'ADMIN_STAFF'
              ORDER BY m.operator_id LIMIT 1) AS "adminName"
       FROM organization o
       LEFT JOIN municipality mo ON mo.istat_code = o.municipality_code
       LEFT JOIN social_district sd ON sd.id = o.social_district_id
       LEFT JOIN municipality ml ON ml.name = sd.lead_municipality
      WHERE EXISTS (SELECT 1 FROM delivery d JOIN intervention i ON i.id = d.intervention_id
                     WHERE d.organization_id = o.id AND i.siuss_required)
      ORDER BY o.name`,
  );
  const [inpsRow] = await db.query<{ id: string; client_id: string; organization_id: string }>(
    `SELECT id, client_id, organization_id FROM partner_client WHERE $1 = ANY(scopes) LIMIT 1`,
    [SIUSS_PULL_SCOPE],
  );
  if (!inpsRow) return result;
  const inps: ClientActor = {
    kind: 'CLIENT',
    id: inpsRow.id,
    clientId: inpsRow.client_id,
    organizationId: inpsRow.organization_id,
    organizationIds: zones.map((z) => z.organizationId),
    scopes: [SIUSS_PULL_SCOPE],
    origin: { ip: null, userAgent: 'demo' },
  };
  const monthAgo = shiftDay(todayInRome(), -30);
  for (const zone of zones) {
    if (!zone.adminId || !zone.seat) continue;
    const actor = await loadOperatorActor(db, zone.adminId, { ip: null, userAgent: 'demo' });
    if (!actor) continue;
    const [first = 'Anna', ...rest] = (zone.adminName ?? 'Anna Amministrativa').split(' ');
    await configureSiussSender(db, actor, {
      organizationId: zone.organizationId,
      enteCode: zone.seat,
      name: zone.name.slice(0, 100),
      seatCadastralCode: zone.seat,
      // A demo operator's codice fiscale, computed from the account's name.
      operatorTaxCode: computeTaxCode({
        firstName: first,
        lastName: rest.join(' ') || 'Amministrativa',
        sex: 'F',
        birthDate: '1976-03-15',
        birthPlaceCode: zone.seat,
      }),
    });
    result.senders++;
    // What is older than a month goes now (oldest first); the last month stays due.
    await listSiussDuties(db, actor, { organizationId: zone.organizationId, limit: 1 }); // reconciles
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM siuss_duty
        WHERE organization_id = $1 AND state = 'DUE' AND delivered_on < $2::date`,
      [zone.organizationId, monthAgo],
    );
    const old = row!.n;
    if (old === 0) continue;
    const built = await buildSiussFlows(db, actor, {
      organizationId: zone.organizationId,
      route: 'WAAS',
      limit: old,
    });
    result.flows += built.flows.length;
    result.refused += built.refused.length;
  }

  // INPS pulls everything since 0 and answers.
  let since = 0;
  for (;;) {
    const page = await pullSiussFlows(db, inps, since, 100);
    if (page.length === 0) break;
    since = Date.parse(page.at(-1)!.ts_flusso);
    const esiti: Esito[] = page.map((e) => {
      const reject = random.chance(0.06);
      if (reject) result.rejected++;
      else result.accepted++;
      return {
        id_flusso: e.id_flusso,
        tipo: e.tipo,
        ts_flusso: e.ts_flusso,
        ts_acquisizione: new Date().toISOString(),
        codice_esito: reject ? 'RICHIESTA_INVALIDA' : 'OK',
        ...(reject
          ? { descrizione_esito: random.pick(REASONS) }
          : { id_acquisizione_siuss: String(random.int(100_000, 999_999)) }),
      };
    });
    await recordSiussOutcomes(db, inps, esiti);
  }
  const [left] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM siuss_duty WHERE state = 'DUE'`,
  );
  result.due = left!.n;
  return result;
}
