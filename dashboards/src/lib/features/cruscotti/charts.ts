import { it } from '../../i18n/it.ts';
import type { ChartDef, GeoPath, KpiDef, Measure } from './cruscotto.ts';
import { levelMembers, nextLevel } from './cruscotto.ts';

// The cruscotto's charts. The geographic one follows the drill-down path; the breakdowns
// cross-filter the others; the deliveries' ones light up when the deliveries cube is in /meta.

const c = it.cruscotti;
const count = (cube: string, label: string): Measure => ({
  member: `${cube}.count`,
  label,
  format: 'number',
});

export function geoChart(path: GeoPath): ChartDef {
  const level = nextLevel(path);
  const members = levelMembers('intake', level);
  const label = c.levels[level] as string;
  return {
    id: 'geo',
    title: c.charts.geo(label),
    kind: 'bar',
    cube: 'intake',
    measures: [
      count('intake', c.kpis.accesses as string),
      { member: 'intake.persons', label: c.kpis.persons as string, format: 'number' },
    ],
    dimension: { code: members.code, name: members.name, label },
    click: path.office ? null : 'drill',
    time: 'intake.occurredAt',
  };
}

export const accessesReport: ChartDef = {
  id: 'report',
  title: c.accessesReport,
  kind: 'bar',
  cube: 'intake',
  measures: [
    count('intake', c.reportColumns.accesses),
    { member: 'intake.persons', label: c.reportColumns.persons, format: 'number' },
    { member: 'intake.anonymousShare', label: c.reportColumns.anonymousShare, format: 'percent' },
  ],
  dimension: {
    code: 'intake.district',
    name: 'intake.districtName',
    label: c.levels.district as string,
  },
  click: 'drill',
  time: 'intake.occurredAt',
};

export function trendChart(kpi: KpiDef): ChartDef {
  const cube = kpi.measure.member.split('.')[0] as string;
  return {
    id: 'trend',
    title: c.trendOf(kpi.measure.label),
    kind: 'line',
    cube,
    measures: [kpi.measure],
    dimension: { code: kpi.time as string, name: null, label: 'Mese' },
    click: null,
    time: kpi.time as string,
    trend: true,
  };
}

export const MAP_MEASURES: Measure[] = [
  { member: 'intake.count', label: c.kpis.accesses as string, format: 'number' },
  { member: 'intake.persons', label: c.kpis.persons as string, format: 'number' },
  { member: 'cases.count', label: 'Cartelle', format: 'number' },
  { member: 'deliveries.beneficiaries', label: c.kpis.beneficiaries as string, format: 'number' },
  { member: 'deliveries.spending', label: c.kpis.spending as string, format: 'euro' },
];

const TIME_OF: Record<string, string> = {
  intake: 'intake.occurredAt',
  cases: 'cases.openedOn',
  deliveries: 'deliveries.deliveredAt',
};

export function mapChart(measure: Measure): ChartDef {
  const cube = measure.member.split('.')[0] as string;
  return {
    id: 'map',
    title: `${c.charts.map}: ${measure.label.toLowerCase()}`,
    kind: 'map',
    cube,
    measures: [measure],
    dimension: {
      code: `${cube}.municipality`,
      name: `${cube}.municipalityName`,
      label: c.levels.municipality as string,
    },
    click: 'drill',
    time: TIME_OF[cube] as string,
  };
}

const breakdown = (
  id: string,
  title: string,
  cube: string,
  measure: Measure,
  code: string,
  name: string | null,
  label: string,
): ChartDef => ({
  id,
  title,
  kind: 'bar',
  cube,
  measures: [measure],
  dimension: { code: `${cube}.${code}`, name: name ? `${cube}.${name}` : null, label },
  click: 'filter',
  time: TIME_OF[cube] as string,
  top: 15,
});

const euro = (label: string): Measure => ({ member: 'deliveries.spending', label, format: 'euro' });

export const BREAKDOWNS: ChartDef[] = [
  breakdown(
    'channel',
    c.charts.accessesByChannel,
    'intake',
    count('intake', 'Accessi'),
    'channel',
    null,
    'Modalità di accesso',
  ),
  breakdown(
    'targetArea',
    c.charts.casesByTargetArea,
    'cases',
    count('cases', 'Cartelle'),
    'targetArea',
    null,
    'Area di utenza',
  ),
  breakdown(
    'caseOffice',
    c.charts.casesByOffice,
    'cases',
    count('cases', 'Cartelle'),
    'office',
    'officeName',
    'Ufficio',
  ),
  breakdown(
    'service',
    c.charts.deliveriesByService,
    'deliveries',
    count('deliveries', 'Erogazioni'),
    'serviceCode',
    'serviceName',
    'Servizio',
  ),
  breakdown(
    'userArea',
    c.charts.deliveriesByArea,
    'deliveries',
    { member: 'deliveries.beneficiaries', label: 'Beneficiari', format: 'number' },
    'userArea',
    null,
    'Area di utenza',
  ),
  breakdown(
    'provider',
    c.charts.deliveriesByProvider,
    'deliveries',
    euro('Spesa'),
    'provider',
    'providerName',
    'Erogatore',
  ),
  breakdown(
    'project',
    c.charts.deliveriesByProject,
    'deliveries',
    euro('Spesa'),
    'project',
    'projectName',
    'Progetto',
  ),
];
