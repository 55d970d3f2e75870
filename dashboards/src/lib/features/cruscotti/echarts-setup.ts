import { BarChart, LineChart, MapChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// ECharts with only what the cruscotti draw (bars, lines, the map), so the bundle carries no
// chart nobody sees.
echarts.use([
  BarChart,
  LineChart,
  MapChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };

/** Okabe and Ito's palette: told apart by readers with any common colour-vision deficiency. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
];

/** Cividis-like sequential scale (dark blue to yellow): ordered in lightness for every reader. */
export const SEQUENTIAL = ['#00204D', '#31446B', '#666970', '#958F78', '#CBBA69', '#FFEA46'];

export const SUPPRESSED_COLOR = '#8a8a8a';

let mapReady: Promise<void> | null = null;

/** Registers Umbria's municipalities once, fetched from the built asset (not in the bundle). */
export function ensureUmbriaMap(url: string): Promise<void> {
  mapReady ??= fetch(url)
    .then((r) => {
      if (!r.ok) throw new Error(`mappa non disponibile (HTTP ${r.status})`);
      return r.json();
    })
    .then((geo) => {
      echarts.registerMap('umbria', geo);
    })
    .catch((e) => {
      mapReady = null;
      throw e;
    });
  return mapReady;
}
