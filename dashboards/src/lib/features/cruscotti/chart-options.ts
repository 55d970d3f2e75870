import { it } from '../../i18n/it.ts';
import type { ChartModel } from './cruscotto.ts';
import { formatCell, isSuppressed, suppressionReason } from './data-table.ts';
import { PALETTE, SEQUENTIAL, SUPPRESSED_COLOR } from './echarts-setup.ts';

// The ECharts option of a chart model. A suppressed value is never drawn as a number: a bar
// reads "oscurato" (its reason in the tooltip), a month is a gap in the line, a municipality is
// hatched grey.

type Option = Record<string, unknown>;

const base = (): Option => ({
  color: PALETTE,
  animation: false,
  // The summary and the table carry the content for assistive technologies (ChartCard).
  aria: { enabled: false },
  textStyle: { fontFamily: 'Titillium Web, Geneva, Tahoma, sans-serif' },
});

export function chartOption(model: ChartModel): Option {
  const reason = suppressionReason(model.answer.disclosure);
  const { def } = model;
  if (def.kind === 'map') return mapOption(model, reason);
  if (def.kind === 'line')
    return {
      ...base(),
      tooltip: { trigger: 'axis' },
      legend: { show: model.series.length > 1, bottom: 0 },
      grid: { left: 56, right: 16, top: 16, bottom: model.series.length > 1 ? 48 : 28 },
      xAxis: { type: 'category', data: model.categories },
      yAxis: { type: 'value', minInterval: 1 },
      series: model.series.map((s) => ({
        type: 'line',
        name: s.name,
        connectNulls: false,
        data: s.values.map((v) => (typeof v === 'number' ? v : null)),
      })),
    };
  const s = model.series[0];
  const values = s?.values ?? [];
  const labelOf = (i: number) => formatCell(values[i] ?? null, s?.format ?? 'number');
  return {
    ...base(),
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number; name: string }) =>
        isSuppressed(values[p.dataIndex] ?? null)
          ? `${p.name}: ${it.cubes.suppressed}<br/>${reason}`
          : `${p.name}: ${labelOf(p.dataIndex)}`,
      extraCssText: 'max-width: 320px; white-space: normal;',
    },
    grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: model.categories,
      axisLabel: { width: 160, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: s?.name,
        cursor: def.click ? 'pointer' : 'default',
        data: values.map((v) =>
          isSuppressed(v)
            ? {
                value: 0,
                itemStyle: { color: SUPPRESSED_COLOR },
                label: { show: true, position: 'right', formatter: it.cubes.suppressed },
              }
            : typeof v === 'number'
              ? v
              : null,
        ),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => labelOf(p.dataIndex),
        },
      },
    ],
  };
}

function mapOption(model: ChartModel, reason: string): Option {
  const s = model.series[0];
  const values = s?.values ?? [];
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const max = Math.max(1, ...numbers);
  return {
    ...base(),
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; dataIndex: number }) => {
        const i = model.keys.indexOf(p.name);
        const name = model.categories[i] ?? p.name;
        if (i < 0) return `${name}: ${it.cubes.empty}`;
        const v = values[i] ?? null;
        return isSuppressed(v)
          ? `${name}: ${it.cubes.suppressed}<br/>${reason}`
          : `${name}: ${formatCell(v, s?.format ?? 'number')}`;
      },
      extraCssText: 'max-width: 320px; white-space: normal;',
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      inRange: { color: SEQUENTIAL },
      left: 8,
      bottom: 8,
      text: [formatCell(max, s?.format ?? 'number'), '0'],
    },
    series: [
      {
        type: 'map',
        map: 'umbria',
        nameProperty: 'istat_code',
        roam: false,
        itemStyle: { areaColor: '#f0f0f0', borderColor: '#555', borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#E69F00' } },
        select: { disabled: true },
        data: model.keys.map((code, i) => {
          const v = values[i] ?? null;
          return isSuppressed(v)
            ? {
                name: code,
                value: null,
                itemStyle: {
                  areaColor: SUPPRESSED_COLOR,
                  decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: 0.8 },
                },
              }
            : { name: code, value: typeof v === 'number' ? v : null };
        }),
      },
    ],
  };
}
