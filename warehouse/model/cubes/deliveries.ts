import { cube, type DimensionDef } from '../../src/model/cube.types.ts';

// Erogazioni: the deliveries that count (not superseded by a correction, not cancelled) and
// their spending, by territory, office, service (the nomenclator's hierarchy), user area,
// provider, project and funding source. The member names are a contract: the cruscotti (#12)
// read them as they are.
const TERRITORY: Record<string, DimensionDef> = {
  region: { sql: '{CUBE}.region_code', type: 'string', title: 'Regione' },
  district: {
    sql: '{CUBE}.district_code',
    type: 'string',
    title: 'Zona sociale',
    meta: { parent: 'region' },
  },
  districtName: { sql: '{CUBE}.district_name', type: 'string', title: 'Zona sociale (nome)' },
  municipality: {
    sql: '{CUBE}.municipality_code',
    type: 'string',
    title: 'Comune',
    meta: { parent: 'district' },
  },
  municipalityName: {
    sql: '{CUBE}.municipality_name',
    type: 'string',
    title: 'Comune (nome)',
  },
};

export const deliveries = cube('deliveries', {
  title: 'Erogazioni',
  description: 'Erogazioni di interventi e spesa (escluse le erogazioni rettificate e annullate)',
  sql_table: 'main.fact_delivery',
  joins: {
    territory: {
      relationship: 'many_to_one',
      sql: '{CUBE}.municipality_code = {territory}.municipality_code',
    },
    offices: { relationship: 'many_to_one', sql: '{CUBE}.office_id = {offices}.office_id' },
    services: { relationship: 'many_to_one', sql: '{CUBE}.service_code = {services}.service_code' },
    providers: {
      relationship: 'many_to_one',
      sql: '{CUBE}.provider_id = {providers}.provider_id',
    },
    projects: { relationship: 'many_to_one', sql: '{CUBE}.project_id = {projects}.project_id' },
  },
  measures: {
    count: { type: 'count', title: 'Erogazioni', format: 'number' },
    beneficiaries: {
      type: 'count_distinct',
      sql: '{CUBE}.person_key',
      title: 'Beneficiari distinti',
      format: 'number',
    },
    spending: {
      type: 'sum',
      sql: '{CUBE}.amount',
      title: 'Spesa (euro)',
      format: 'currency',
      meta: { sdc: 'amount' },
    },
    quantity: { type: 'sum', sql: '{CUBE}.quantity', title: 'Quantità erogata' },
    // The issue's own name for the spending (DESIGN §7).
    amount: {
      type: 'sum',
      sql: '{CUBE}.amount',
      title: 'Importo (euro)',
      format: 'currency',
      meta: { sdc: 'amount' },
    },
  },
  dimensions: {
    deliveredAt: { sql: '{CUBE}.delivered_on', type: 'time', title: 'Data di erogazione' },
    deliveredOn: { sql: '{CUBE}.delivered_on', type: 'time', title: 'Data di erogazione' },
    ...TERRITORY,
    organization: { sql: '{CUBE}.organization_id', type: 'string', title: 'Ente' },
    office: { sql: '{CUBE}.office_id', type: 'string', title: 'Ufficio' },
    officeName: { sql: '{CUBE}.office_name', type: 'string', title: 'Ufficio (nome)' },
    serviceArea: {
      sql: '{CUBE}.service_category',
      type: 'string',
      title: 'Area del nomenclatore',
    },
    serviceCode: {
      sql: '{CUBE}.service_code',
      type: 'string',
      title: 'Prestazione (codice)',
      meta: { parent: 'serviceArea' },
    },
    service: { sql: '{CUBE}.service_code', type: 'string', title: 'Prestazione' },
    serviceName: { sql: '{CUBE}.service_title', type: 'string', title: 'Prestazione (nome)' },
    standardService: {
      sql: '{CUBE}.standard_service_code',
      type: 'string',
      title: 'Prestazione standard',
    },
    userArea: { sql: '{CUBE}.user_area', type: 'string', title: 'Area di utenza (INPS)' },
    targetArea: { sql: '{CUBE}.target_area_code', type: 'string', title: 'Area di utenza' },
    provider: { sql: '{CUBE}.provider_id', type: 'string', title: 'Ente erogatore' },
    providerName: {
      sql: '{CUBE}.provider_name',
      type: 'string',
      title: 'Ente erogatore (nome)',
    },
    project: { sql: '{CUBE}.project_id', type: 'string', title: 'Progetto' },
    projectName: { sql: '{CUBE}.project_title', type: 'string', title: 'Progetto (titolo)' },
    fundingSource: {
      sql: '{CUBE}.funding_source_code',
      type: 'string',
      title: 'Fonte di finanziamento',
    },
    state: { sql: '{CUBE}.state', type: 'string', title: 'Stato' },
    ageBand: { sql: '{CUBE}.age_band', type: 'string', title: 'Classe di età' },
    sex: { sql: '{CUBE}.sex', type: 'string', title: 'Sesso' },
    iseeBand: { sql: '{CUBE}.isee_band', type: 'string', title: 'Fascia ISEE' },
  },
  segments: {
    verified: { sql: "{CUBE}.state IN ('RECORDED', 'ACCEPTED')", title: 'Verificate' },
    toVerify: { sql: "{CUBE}.state = 'TO_VERIFY'", title: 'Da verificare' },
  },
  pre_aggregations: {
    monthlyTerritory: {
      measures: ['count', 'beneficiaries', 'spending', 'quantity', 'amount'],
      dimensions: [
        'region',
        'district',
        'districtName',
        'municipality',
        'municipalityName',
        'organization',
        'office',
        'officeName',
        'state',
      ],
      time_dimension: 'deliveredAt',
      granularity: 'month',
    },
    monthlyServices: {
      measures: ['count', 'beneficiaries', 'spending', 'quantity', 'amount'],
      dimensions: [
        'region',
        'district',
        'serviceArea',
        'serviceCode',
        'serviceName',
        'userArea',
        'provider',
        'providerName',
        'project',
        'projectName',
        'fundingSource',
      ],
      time_dimension: 'deliveredAt',
      granularity: 'month',
    },
  },
  // The cruscotti's shapes (KPI cards, breakdowns) and the warehouse bench's, precomputed.
  protected_shapes: {
    kpi: {
      measures: ['count', 'beneficiaries', 'spending'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    service: {
      measures: ['count'],
      dimensions: ['serviceCode'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    userArea: {
      measures: ['beneficiaries'],
      dimensions: ['userArea'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    provider: {
      measures: ['spending'],
      dimensions: ['provider'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    project: {
      measures: ['spending'],
      dimensions: ['project'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    monthlyByDistrict: {
      measures: ['spending', 'count'],
      dimensions: ['district'],
      time: { dimension: 'deliveredAt', grain: 'month' },
    },
    municipalities: {
      measures: ['beneficiaries', 'count'],
      dimensions: ['district', 'municipality'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    // The names the charts show for their codes (one query per code and name, over all time).
    serviceNames: { measures: [], dimensions: ['serviceCode', 'serviceName'] },
    providerNames: { measures: [], dimensions: ['provider', 'providerName'] },
    projectNames: { measures: [], dimensions: ['project', 'projectName'] },
    districtNames: { measures: [], dimensions: ['district', 'districtName'] },
    municipalityNames: { measures: [], dimensions: ['municipality', 'municipalityName'] },
    officeNames: { measures: [], dimensions: ['office', 'officeName'] },
    // The explorer's pivot of the deliveries by service and month, each of its levels (the
    // service × month cells, the services' and the months' totals, the grand total).
    pivotServiceMonth: {
      measures: ['count'],
      dimensions: ['serviceName'],
      time: { dimension: 'deliveredAt', grain: 'month' },
    },
    pivotService: {
      measures: ['count'],
      dimensions: ['serviceName'],
      time: { dimension: 'deliveredAt', grain: 'year' },
    },
    pivotMonth: { measures: ['count'], time: { dimension: 'deliveredAt', grain: 'month' } },
    pivotTotal: { measures: ['count'], time: { dimension: 'deliveredAt', grain: 'year' } },
  },
  meta: {
    contributor: 'coalesce({CUBE}.person_key, {CUBE}.delivery_key)',
    person: '{CUBE}.person_key',
    rls: {
      organization: '{CUBE}.organization_id',
      district: '{CUBE}.district_code',
      region: '{CUBE}.region_code',
    },
  },
});

export const services = cube('services', {
  sql_table: 'main.dim_service',
  public: false,
  measures: {},
  dimensions: {
    code: { sql: '{CUBE}.service_code', type: 'string', primary_key: true },
    title: { sql: '{CUBE}.service_title', type: 'string' },
  },
});

export const providers = cube('providers', {
  sql_table: 'main.dim_provider',
  public: false,
  measures: {},
  dimensions: {
    id: { sql: '{CUBE}.provider_id', type: 'string', primary_key: true },
    name: { sql: '{CUBE}.provider_name', type: 'string' },
  },
});

export const projects = cube('projects', {
  sql_table: 'main.dim_project',
  public: false,
  measures: {},
  dimensions: {
    id: { sql: '{CUBE}.project_id', type: 'string', primary_key: true },
    title: { sql: '{CUBE}.project_title', type: 'string' },
  },
});
