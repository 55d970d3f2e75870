import type { Role, SensitiveGroup } from '../access/actor.ts';
import type { Queryable } from '../db/db.ts';
import type { DemoAccount, DemoClient } from './demo.types.ts';

// The demo organisation of Regione Umbria: the region, one union per zona sociale, one
// organisation per comune, an ASL and a cooperative; offices, contact points, operators and
// partner clients. Everything is looked up by its fixed name and created only when absent.

export const REGION_ORGANIZATION = 'Regione Umbria';
export const ASL_ORGANIZATION = 'USL Umbria 1';
export const PROVIDER_ORGANIZATION = 'Cooperativa sociale Il Melograno';

export const municipalityOrganizationName = (name: string) => `Comune di ${name}`;

export const OFFICES = {
  socialService: 'Servizio sociale professionale',
  fostering: 'Servizio affido e adozioni',
  workPlacement: 'Inserimento lavorativo',
  regionPlanning: 'Servizio programmazione sociale',
  regionSystems: 'Servizio sistemi informativi',
} as const;

export const DESK_PROFILES: readonly { code: string; name: string; masked: SensitiveGroup[] }[] = [
  { code: 'STANDARD', name: 'Standard: nessun dato oscurato', masked: [] },
  {
    code: 'IMMIGRANT_DESK',
    name: 'Sportello immigrati: dati sanitari e giudiziari oscurati',
    masked: ['HEALTH', 'JUDICIAL'],
  },
  {
    code: 'PUBLIC_DESK',
    name: 'Sportello al pubblico (URP): dati sanitari, giudiziari, di soggiorno ed economici oscurati',
    masked: ['HEALTH', 'JUDICIAL', 'PERMIT', 'ECONOMIC'],
  },
];

type ContactPointSpec = {
  zone: number;
  name: string;
  kind: 'PUA' | 'URP' | 'UDC' | 'IMMIGRANT_DESK';
  deskProfile: string;
};

export const puaName = (zone: number) => `Punto unico di accesso (PUA) – Zona sociale ${zone}`;

const ZONE2_CONTACT_POINTS: readonly ContactPointSpec[] = [
  { zone: 2, name: 'Ufficio della Cittadinanza – Perugia', kind: 'UDC', deskProfile: 'STANDARD' },
  {
    zone: 2,
    name: 'Sportello immigrati – Perugia',
    kind: 'IMMIGRANT_DESK',
    deskProfile: 'IMMIGRANT_DESK',
  },
  { zone: 2, name: 'URP – Perugia', kind: 'URP', deskProfile: 'PUBLIC_DESK' },
];

/** Zones with second-level (thematic) offices besides the professional social service. */
const ZONES_WITH_THEMATIC_OFFICES = [2, 10];

const ZONE_2 = 'Zona sociale 2 – Perugia';
const ZONE_10 = 'Zona sociale 10 – Terni';

type AccountSpec = DemoAccount & { zone: number | null };

const account = (
  username: string,
  fullName: string,
  role: Role,
  zone: number | null,
  office: string,
  contactPoint: string | null,
  description: string,
): AccountSpec => ({
  username,
  fullName,
  role,
  zone,
  organization: zone === 2 ? ZONE_2 : zone === 10 ? ZONE_10 : REGION_ORGANIZATION,
  office,
  contactPoint,
  description,
});

const ACCOUNT_SPECS: readonly AccountSpec[] = [
  account(
    'sportello.perugia',
    'Chiara Bellucci',
    'FRONT_DESK',
    2,
    OFFICES.socialService,
    puaName(2),
    'Operatrice del Punto unico di accesso (PUA) della Zona sociale 2 – Perugia',
  ),
  account(
    'udc.perugia',
    'Marco Cecchetti',
    'FRONT_DESK',
    2,
    OFFICES.socialService,
    'Ufficio della Cittadinanza – Perugia',
    "Operatore dell'Ufficio della Cittadinanza di Perugia",
  ),
  account(
    'sportello.immigrati',
    'Sara Pucci',
    'FRONT_DESK',
    2,
    OFFICES.socialService,
    'Sportello immigrati – Perugia',
    'Operatrice dello Sportello immigrati di Perugia: non vede i dati sanitari e giudiziari',
  ),
  account(
    'urp.perugia',
    'Paolo Rosi',
    'FRONT_DESK',
    2,
    OFFICES.socialService,
    'URP – Perugia',
    "Operatore dell'URP di Perugia: non vede dati sanitari, giudiziari, di soggiorno ed economici",
  ),
  account(
    'as.perugia',
    'Elena Marchetti',
    'SOCIAL_WORKER',
    2,
    OFFICES.socialService,
    null,
    'Assistente sociale del Servizio sociale professionale, Zona sociale 2 – Perugia',
  ),
  account(
    'as2.perugia',
    'Davide Bartolini',
    'SOCIAL_WORKER',
    2,
    OFFICES.socialService,
    null,
    'Secondo assistente sociale del Servizio sociale professionale, Zona sociale 2 – Perugia',
  ),
  account(
    'coord.perugia',
    'Laura Cavalieri',
    'COORDINATOR',
    2,
    OFFICES.socialService,
    null,
    'Coordinatrice del Servizio sociale professionale, Zona sociale 2 – Perugia',
  ),
  account(
    'amm.perugia',
    'Stefano Lupi',
    'ADMIN_STAFF',
    2,
    OFFICES.socialService,
    null,
    'Amministrativo (interventi, erogazioni, debito informativo SIUSS), Zona sociale 2 – Perugia',
  ),
  account(
    'dirigente.perugia',
    'Roberta Santucci',
    'MANAGER',
    2,
    OFFICES.socialService,
    null,
    'Dirigente (cruscotti), Zona sociale 2 – Perugia',
  ),
  account(
    'sportello.terni',
    'Federica Proietti',
    'FRONT_DESK',
    10,
    OFFICES.socialService,
    puaName(10),
    'Operatrice del Punto unico di accesso (PUA) della Zona sociale 10 – Terni',
  ),
  account(
    'as.terni',
    'Andrea Fabbri',
    'SOCIAL_WORKER',
    10,
    OFFICES.socialService,
    null,
    'Assistente sociale del Servizio sociale professionale, Zona sociale 10 – Terni',
  ),
  account(
    'planner.regione',
    'Francesca Tiberi',
    'PLANNER',
    null,
    OFFICES.regionPlanning,
    null,
    'Programmatrice regionale (analisi e cubi su tutte le zone), Regione Umbria',
  ),
  account(
    'admin',
    'Amministratore di sistema',
    'ADMINISTRATOR',
    null,
    OFFICES.regionSystems,
    null,
    'Amministratore (territorio, uffici, profili, utenti e ruoli), Regione Umbria',
  ),
  account(
    'dirigente.terni',
    'Marco Venturi',
    'MANAGER',
    10,
    OFFICES.socialService,
    null,
    'Dirigente (cruscotti), Zona sociale 10 – Terni',
  ),
];

/** The demo operator accounts, one or more per role; the password is the demo password. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = ACCOUNT_SPECS.map(({ zone: _, ...a }) => a);

export const DEMO_CLIENTS: readonly DemoClient[] = [
  {
    clientId: 'asl-umbria1',
    name: 'USL Umbria 1',
    organization: ASL_ORGANIZATION,
    scopes: ['persons:read', 'cases:read'],
    description: 'Azienda sanitaria: legge anagrafiche e cartelle a cui è abilitata',
  },
  {
    clientId: 'coop-provider',
    name: PROVIDER_ORGANIZATION,
    organization: PROVIDER_ORGANIZATION,
    scopes: ['deliveries:write'],
    description: 'Ente erogatore del terzo settore: registra le proprie erogazioni',
  },
  {
    // The stand-in for INPS's PDND voucher: the WaaS e-service of the region's entities.
    clientId: 'inps-waas',
    name: 'INPS – Alimentazione SIUSS (WaaS)',
    organization: REGION_ORGANIZATION,
    scopes: ['siuss:pull'],
    description: 'INPS: preleva i flussi SIUSS (GET /waas/v1/flussi) e ne notifica gli esiti',
  },
];

type OrganizationKind = 'REGION' | 'MUNICIPALITY' | 'UNION' | 'HEALTH_AUTHORITY' | 'PROVIDER';

/** Finds organisations, offices and contact points by name, and creates the missing ones. */
class Registry {
  private constructor(
    private readonly q: Queryable,
    private readonly organizations: Map<string, string>,
    private readonly offices: Map<string, string>,
    private readonly contactPoints: Map<string, string>,
  ) {}

  static async load(q: Queryable): Promise<Registry> {
    const orgs = await q.query<{ id: string; name: string; kind: string }>(
      'SELECT id, name, kind FROM organization ORDER BY created_at, id',
    );
    const offices = await q.query<{ id: string; organization_id: string; name: string }>(
      'SELECT id, organization_id, name FROM office',
    );
    const points = await q.query<{ id: string; office_id: string; name: string }>(
      'SELECT id, office_id, name FROM contact_point',
    );
    const first = <T>(rows: T[], key: (r: T) => string, id: (r: T) => string) => {
      const map = new Map<string, string>();
      for (const r of rows) if (!map.has(key(r))) map.set(key(r), id(r));
      return map;
    };
    return new Registry(
      q,
      first(
        orgs,
        (o) => `${o.kind}|${o.name}`,
        (o) => o.id,
      ),
      first(
        offices,
        (o) => `${o.organization_id}|${o.name}`,
        (o) => o.id,
      ),
      first(
        points,
        (p) => `${p.office_id}|${p.name}`,
        (p) => p.id,
      ),
    );
  }

  async organization(o: {
    name: string;
    kind: OrganizationKind;
    parentId: string | null;
    municipalityCode?: string;
    socialDistrictId?: number;
  }): Promise<string> {
    const key = `${o.kind}|${o.name}`;
    const known = this.organizations.get(key);
    if (known) return known;
    const [row] = await this.q.query<{ id: string }>(
      `INSERT INTO organization (parent_id, name, kind, municipality_code, social_district_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [o.parentId, o.name, o.kind, o.municipalityCode ?? null, o.socialDistrictId ?? null],
    );
    this.organizations.set(key, row!.id);
    return row!.id;
  }

  async office(
    organizationId: string,
    name: string,
    level: 1 | 2,
    scope: 'TERRITORIAL' | 'THEMATIC',
  ): Promise<string> {
    const key = `${organizationId}|${name}`;
    const known = this.offices.get(key);
    if (known) return known;
    const [row] = await this.q.query<{ id: string }>(
      'INSERT INTO office (organization_id, name, level, scope) VALUES ($1, $2, $3, $4) RETURNING id',
      [organizationId, name, level, scope],
    );
    this.offices.set(key, row!.id);
    return row!.id;
  }

  async contactPoint(officeId: string, spec: Omit<ContactPointSpec, 'zone'>): Promise<string> {
    const key = `${officeId}|${spec.name}`;
    const known = this.contactPoints.get(key);
    if (known) return known;
    const [row] = await this.q.query<{ id: string }>(
      `INSERT INTO contact_point (office_id, name, kind, desk_profile_code)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [officeId, spec.name, spec.kind, spec.deskProfile],
    );
    this.contactPoints.set(key, row!.id);
    return row!.id;
  }
}

export type DemoStructure = {
  /** Organisation of each municipality, by ISTAT code: the owner of its residents. */
  municipalityOrganizations: Map<string, string>;
  operatorsCreated: number;
  clientsCreated: number;
};

/**
 * Creates what is missing of the demo organisation, in the caller's transaction. `passwordHash`
 * is called at most once, and only when an account has to be created.
 */
export async function ensureDemoStructure(
  q: Queryable,
  passwordHash: () => Promise<string>,
): Promise<DemoStructure> {
  for (const p of DESK_PROFILES) {
    await q.query(
      `INSERT INTO desk_profile (code, name, masked_groups) VALUES ($1, $2, $3::text[])
       ON CONFLICT (code) DO NOTHING`,
      [p.code, p.name, p.masked],
    );
  }

  const registry = await Registry.load(q);
  const regionId = await registry.organization({
    name: REGION_ORGANIZATION,
    kind: 'REGION',
    parentId: null,
  });
  const districts = await q.query<{ id: number; number: number; name: string }>(
    `SELECT id, number, name FROM social_district WHERE region_code = '10' ORDER BY number`,
  );
  const municipalities = await q.query<{
    istat_code: string;
    name: string;
    social_district_id: number;
  }>('SELECT istat_code, name, social_district_id FROM municipality ORDER BY istat_code');
  if (districts.length === 0 || municipalities.length === 0) {
    throw new Error('territory not loaded: call loadTerritory before generating the demo');
  }

  // Zones: the union, its professional social service, its PUA.
  const zoneOrganizations = new Map<number, string>();
  const socialServices = new Map<number, string>();
  const offices = new Map<string, string>();
  const contactPoints = new Map<string, string>();
  for (const d of districts) {
    const orgId = await registry.organization({
      name: d.name,
      kind: 'UNION',
      parentId: regionId,
      socialDistrictId: d.id,
    });
    zoneOrganizations.set(d.id, orgId);
    const social = await registry.office(orgId, OFFICES.socialService, 1, 'TERRITORIAL');
    socialServices.set(d.number, social);
    offices.set(`${d.number}|${OFFICES.socialService}`, social);
    if (ZONES_WITH_THEMATIC_OFFICES.includes(d.number)) {
      for (const name of [OFFICES.fostering, OFFICES.workPlacement]) {
        offices.set(`${d.number}|${name}`, await registry.office(orgId, name, 2, 'THEMATIC'));
      }
    }
    const pua = { name: puaName(d.number), kind: 'PUA', deskProfile: 'STANDARD' } as const;
    contactPoints.set(pua.name, await registry.contactPoint(social, pua));
  }
  for (const spec of ZONE2_CONTACT_POINTS) {
    const office = socialServices.get(spec.zone);
    if (office) contactPoints.set(spec.name, await registry.contactPoint(office, spec));
  }

  const municipalityOrganizations = new Map<string, string>();
  for (const m of municipalities) {
    const parentId = zoneOrganizations.get(m.social_district_id) ?? regionId;
    const id = await registry.organization({
      name: municipalityOrganizationName(m.name),
      kind: 'MUNICIPALITY',
      parentId,
      municipalityCode: m.istat_code,
      socialDistrictId: m.social_district_id,
    });
    municipalityOrganizations.set(m.istat_code, id);
  }

  const aslId = await registry.organization({
    name: ASL_ORGANIZATION,
    kind: 'HEALTH_AUTHORITY',
    parentId: regionId,
  });
  const providerId = await registry.organization({
    name: PROVIDER_ORGANIZATION,
    kind: 'PROVIDER',
    parentId: regionId,
  });
  offices.set(
    `region|${OFFICES.regionPlanning}`,
    await registry.office(regionId, OFFICES.regionPlanning, 1, 'THEMATIC'),
  );
  offices.set(
    `region|${OFFICES.regionSystems}`,
    await registry.office(regionId, OFFICES.regionSystems, 1, 'THEMATIC'),
  );

  let hash: string | undefined;
  const secret = async () => {
    hash ??= await passwordHash();
    return hash;
  };

  let operatorsCreated = 0;
  for (const a of ACCOUNT_SPECS) {
    const exists = await q.query('SELECT 1 FROM operator WHERE username = $1', [a.username]);
    if (exists.length > 0) continue;
    const officeId = offices.get(`${a.zone ?? 'region'}|${a.office}`);
    const contactPointId = a.contactPoint ? contactPoints.get(a.contactPoint) : null;
    if (!officeId || contactPointId === undefined) {
      throw new Error(`demo account ${a.username}: office or contact point not found`);
    }
    const [row] = await q.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
      [a.username, a.fullName, await secret()],
    );
    await q.query(
      `INSERT INTO membership (operator_id, office_id, role, contact_point_id) VALUES ($1, $2, $3, $4)`,
      [row!.id, officeId, a.role, contactPointId],
    );
    operatorsCreated++;
  }

  const clientOrganizations = new Map([
    [ASL_ORGANIZATION, aslId],
    [PROVIDER_ORGANIZATION, providerId],
    [REGION_ORGANIZATION, regionId],
  ]);
  let clientsCreated = 0;
  for (const c of DEMO_CLIENTS) {
    const exists = await q.query('SELECT 1 FROM partner_client WHERE client_id = $1', [c.clientId]);
    if (exists.length > 0) continue;
    await q.query(
      `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes)
       VALUES ($1, $2, $3, $4, $5::text[])`,
      [c.clientId, c.name, clientOrganizations.get(c.organization), await secret(), c.scopes],
    );
    clientsCreated++;
  }

  return { municipalityOrganizations, operatorsCreated, clientsCreated };
}
