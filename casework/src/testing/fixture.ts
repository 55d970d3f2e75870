import type { Queryable } from '../db/db.ts';
import { hashPassword } from '../operators/password.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';

export const FIXTURE_PASSWORD = 'Password-di-prova-1';

/**
 * A small, fixed world for tests: two organisations (Perugia zone, Terni zone), their offices
 * and desks, one operator per role that matters, a partner client, and one person in each.
 */
export async function seedFixture(q: Queryable) {
  const hash = await hashPassword(FIXTURE_PASSWORD);
  await q.query(`INSERT INTO region (code, name) VALUES ('10', 'Umbria') ON CONFLICT DO NOTHING`);
  const [d2] = await q.query<{ id: number }>(
    `INSERT INTO social_district (region_code, number, name, lead_municipality)
     VALUES ('10', 2, 'Zona sociale 2 – Perugia', 'Perugia') RETURNING id`,
  );
  const [d10] = await q.query<{ id: number }>(
    `INSERT INTO social_district (region_code, number, name, lead_municipality)
     VALUES ('10', 10, 'Zona sociale 10 – Terni', 'Terni') RETURNING id`,
  );
  await q.query(
    `INSERT INTO municipality (istat_code, name, province, cadastral_code, social_district_id, population) VALUES
       ('054039', 'Perugia', 'PG', 'G478', $1, 162467), ('054012', 'Corciano', 'PG', 'C990', $1, 21580),
       ('055032', 'Terni', 'TR', 'L117', $2, 107314)`,
    [d2!.id, d10!.id],
  );
  await q.query(
    `INSERT INTO desk_profile (code, name, masked_groups) VALUES
       ('STANDARD', 'Standard', '{}'), ('IMMIGRANT_DESK', 'Sportello immigrati', '{HEALTH,JUDICIAL}'),
       ('PUBLIC_DESK', 'URP', '{HEALTH,JUDICIAL,PERMIT,ECONOMIC}')
     ON CONFLICT DO NOTHING`,
  );
  const org = async (name: string, kind: string, parent: string | null, district: number | null) =>
    (
      await q.query<{ id: string }>(
        `INSERT INTO organization (name, kind, parent_id, social_district_id) VALUES ($1, $2, $3, $4) RETURNING id`,
        [name, kind, parent, district],
      )
    )[0]!.id;
  const region = await org('Regione Umbria', 'REGION', null, null);
  const perugia = await org('Zona sociale 2 – Perugia', 'UNION', region, d2!.id);
  const terni = await org('Zona sociale 10 – Terni', 'UNION', region, d10!.id);
  const asl = await org('USL Umbria 1', 'HEALTH_AUTHORITY', region, null);
  const office = async (organizationId: string, name: string) =>
    (
      await q.query<{ id: string }>(
        `INSERT INTO office (organization_id, name, level, scope) VALUES ($1, $2, 1, 'TERRITORIAL') RETURNING id`,
        [organizationId, name],
      )
    )[0]!.id;
  const officePg = await office(perugia, 'Servizio sociale professionale – Perugia');
  const officeTr = await office(terni, 'Servizio sociale professionale – Terni');
  const officeRegion = await office(region, 'Direzione regionale welfare');
  const desk = async (officeId: string, name: string, kind: string, profile: string) =>
    (
      await q.query<{ id: string }>(
        `INSERT INTO contact_point (office_id, name, kind, desk_profile_code) VALUES ($1, $2, $3, $4) RETURNING id`,
        [officeId, name, kind, profile],
      )
    )[0]!.id;
  const puaPg = await desk(officePg, 'PUA Perugia', 'PUA', 'STANDARD');
  const immigrantPg = await desk(
    officePg,
    'Sportello immigrati Perugia',
    'IMMIGRANT_DESK',
    'IMMIGRANT_DESK',
  );
  const urpPg = await desk(officePg, 'URP Perugia', 'URP', 'PUBLIC_DESK');
  const puaTr = await desk(officeTr, 'PUA Terni', 'PUA', 'STANDARD');
  const operator = async (
    username: string,
    officeId: string,
    role: string,
    contactPointId: string | null,
  ) => {
    const [row] = await q.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
      [username, username, hash],
    );
    await q.query(
      `INSERT INTO membership (operator_id, office_id, role, contact_point_id) VALUES ($1, $2, $3, $4)`,
      [row!.id, officeId, role, contactPointId],
    );
    return row!.id;
  };
  const operators = {
    frontDeskPg: await operator('sportello.pg', officePg, 'FRONT_DESK', puaPg),
    immigrantDeskPg: await operator('immigrati.pg', officePg, 'FRONT_DESK', immigrantPg),
    publicDeskPg: await operator('urp.pg', officePg, 'FRONT_DESK', urpPg),
    socialWorkerPg: await operator('as.pg', officePg, 'SOCIAL_WORKER', null),
    socialWorker2Pg: await operator('as2.pg', officePg, 'SOCIAL_WORKER', null),
    coordinatorPg: await operator('coord.pg', officePg, 'COORDINATOR', null),
    frontDeskTr: await operator('sportello.tr', officeTr, 'FRONT_DESK', puaTr),
    plannerRegion: await operator('planner', officeRegion, 'PLANNER', null),
    admin: await operator('admin', officeRegion, 'ADMINISTRATOR', null),
  };
  const person = async (
    first: string,
    last: string,
    sex: 'M' | 'F',
    birth: string,
    place: string,
    residence: string,
    owner: string,
    permit: string | null,
  ) => {
    const taxCode = computeTaxCode({
      firstName: first,
      lastName: last,
      sex,
      birthDate: birth,
      birthPlaceCode: place,
    });
    const [row] = await q.query<{ id: string }>(
      `INSERT INTO person (tax_code, first_name, last_name, sex, birth_date, birth_place_code,
         residence_municipality, owner_organization_id, permit_type, permit_expiry, field_sources)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{"taxCode":"ANPR"}') RETURNING id`,
      [
        taxCode,
        first,
        last,
        sex,
        birth,
        place,
        residence,
        owner,
        permit,
        permit ? '2027-06-30' : null,
      ],
    );
    return { id: row!.id, taxCode };
  };
  const persons = {
    perugia: await person('Maria', 'Bianchi', 'F', '1948-03-12', 'G478', '054039', perugia, null),
    perugiaForeign: await person(
      'Amina',
      'Diallo',
      'F',
      '1990-05-20',
      'Z343',
      '054039',
      perugia,
      'Permesso di soggiorno per motivi familiari',
    ),
    terni: await person('Luca', 'Verdi', 'M', '1975-11-02', 'L117', '055032', terni, null),
  };
  await q.query(
    `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes, rate_limit_per_minute)
     VALUES ('asl-test', 'USL Umbria 1', $1, $2, '{persons:read}', 60),
            ('noscope-test', 'Client senza ambiti', $3, $2, '{}', 60)`,
    [asl, hash, perugia],
  );
  return {
    organizations: { region, perugia, terni, asl },
    offices: { perugia: officePg, terni: officeTr, region: officeRegion },
    contactPoints: { puaPg, immigrantPg, urpPg, puaTr },
    operators,
    persons,
    districts: { perugia: d2!.id, terni: d10!.id },
  };
}
export type Fixture = Awaited<ReturnType<typeof seedFixture>>;
