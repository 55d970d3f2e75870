// The cruscotti and the explorer (issue 12) in headless Chromium against a hub with the demo
// region and, in its warehouse, the warehouse bench's generated deliveries (10 million by
// default): time from opening the cruscotto to its first chart with data and until every chart
// and KPI card has settled (targets: every chart within 1 s), cold (a fresh browser context: no
// cache, a new login) and warm (the same page, back to the cruscotto), for the regional planner
// (the region: every delivery) and the manager of Zona sociale 2 (hers); and a pivot of the
// deliveries by service × 12 months with its engine totals, from the click to the rendered table
// (target under 300 ms). Options (environment):
//   BENCH_CRUSCOTTI_ROUNDS=20             measured rounds of each (after 2 warm-up rounds)
//   BENCH_CRUSCOTTI_LIVE_ROUNDS=5         rounds of the pivot the warehouse computes live
//   BENCH_CRUSCOTTI_DELIVERIES=10000000   deliveries generated into the hub's warehouse
//                                         (lib/deliveries-warehouse.ts); 0: the demo's own
//   BENCH_CRUSCOTTI_PERSONS=3000          persons of the demo region (npm start's default)
//   BENCH_CRUSCOTTI_INTAKE=20             intake records per thousand persons and day of the demo
// The hub's ETL builds the warehouse from the demo once (FULL); the generated deliveries then
// replace the build's deliveries and SIUSS duties over the demo's own dimensions (territory,
// zone, offices, nomenclator, providers, projects), so the demo's logins reach them through
// row-level security as they reach the demo's. The intake and case cubes stay the demo's. The
// hub runs with ETL_SCHEDULE=0: a scheduled full rebuild would bring the demo's deliveries back.
import { readFile } from 'node:fs/promises';
import { runEtl } from '@hub/etl';
import { cubeReadersOf, VIEWER_ORGANIZATIONS_SQL } from '@hub/warehouse';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, login, newPage, startUiHub } from '../ui/ui-harness.ts';
import type { BenchResult, BenchRow } from './bench.types.ts';
import { replaceDeliveries } from './lib/deliveries-warehouse.ts';
import { latencyColumns, ms, quantile } from './lib/latency.ts';

export const name = 'cruscotti';

const ROUNDS = Number(process.env.BENCH_CRUSCOTTI_ROUNDS ?? 20);
const LIVE_ROUNDS = Number(process.env.BENCH_CRUSCOTTI_LIVE_ROUNDS ?? 5);
const WARMUP = 2;
const DELIVERIES = Number(process.env.BENCH_CRUSCOTTI_DELIVERIES ?? 10_000_000);
const PERSONS = process.env.BENCH_CRUSCOTTI_PERSONS ?? '3000';
const INTAKE = process.env.BENCH_CRUSCOTTI_INTAKE ?? '20';
/** The cruscotto's default period is the last complete year: the deliveries cover it and the one before. */
const YEAR = new Date().getFullYear() - 1;
const DELIVERY_CHARTS = ['service', 'userArea', 'provider', 'project'];
const DELIVERY_KPIS = ['deliveries', 'beneficiaries', 'spending', 'siussOverdue'];

const loadavg = () =>
  readFile('/proc/loadavg', 'utf8').then(
    (t) => t.split(' ').slice(0, 3).join(' '),
    () => '?',
  );

type Timed = {
  first: number;
  all: number;
  /** Each chart's and card's time to its first settled state, and that state. */
  each: Record<string, [number, string]>;
};

/**
 * Opens the cruscotto and times, in the page, the first chart with data, each chart and card,
 * and the moment none is loading any more. A string, not a function: tsx's helpers do not exist
 * in the page.
 */
function timeCruscotto(page: Page): Promise<Timed> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = null;
    const each = {};
    const check = () => {
      const charts = [...document.querySelectorAll('[data-chart]')];
      const cards = [...document.querySelectorAll('[data-kpi]')];
      const now = performance.now() - t0;
      if (first === null && charts.some((c) => c.getAttribute('data-state') === 'ready')) first = now;
      for (const c of charts) {
        const k = 'chart:' + c.getAttribute('data-chart');
        if (!(k in each) && c.getAttribute('data-state') !== 'loading') each[k] = [now, c.getAttribute('data-state')];
      }
      for (const c of cards) {
        const k = 'kpi:' + c.getAttribute('data-kpi');
        if (!(k in each) && c.getAttribute('data-state') !== 'loading') each[k] = [now, c.getAttribute('data-state')];
      }
      const busy = [...charts, ...cards].some((c) => c.getAttribute('data-state') === 'loading');
      if (charts.length >= 11 && cards.length >= 8 && !busy && first !== null) {
        seen.disconnect();
        clearTimeout(timer);
        resolve({ first, all: now, each });
      }
    };
    const seen = new MutationObserver(check);
    seen.observe(document.body, { childList: true, subtree: true, attributes: true });
    const timer = setTimeout(() => { seen.disconnect(); reject(new Error('cruscotto not settled in 60 s')); }, 60000);
    location.hash = '#/cruscotto';
  })`);
}

type LoadSeen = { query: string; ms: number; source: string; cells: string; rows: number };

/** The page's /cubejs-api/v1/load answers from now on: query, server time, provenance. */
function watchLoads(page: Page): LoadSeen[] {
  const seen: LoadSeen[] = [];
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (!url.pathname.endsWith('/cubejs-api/v1/load') || res.status() !== 200) return;
    const req = res.request();
    const raw =
      req.method() === 'GET'
        ? (url.searchParams.get('query') ?? '{}')
        : JSON.stringify((JSON.parse(req.postData() ?? '{}') as { query?: unknown }).query ?? {});
    const q = JSON.parse(raw) as {
      measures?: string[];
      dimensions?: string[];
      timeDimensions?: { granularity?: string; compareDateRange?: unknown }[];
      filters?: { member: string }[];
    };
    const td = q.timeDimensions?.[0];
    const query = [
      (q.measures ?? []).join(','),
      (q.dimensions ?? []).length ? `by ${(q.dimensions ?? []).join(',')}` : '',
      td?.granularity ? `per ${td.granularity}` : td?.compareDateRange ? 'compare' : '',
      (q.filters ?? []).length ? `where ${(q.filters ?? []).map((f) => f.member).join(',')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    try {
      const body = (await res.json()) as {
        results: {
          data: unknown[];
          provenance?: { source: string; protectedCells?: string };
        }[];
      };
      const t = req.timing();
      seen.push({
        query,
        ms: Math.round(t.responseEnd - t.requestStart),
        source: [...new Set(body.results.map((r) => r.provenance?.source ?? '?'))].join('+'),
        cells: [...new Set(body.results.map((r) => r.provenance?.protectedCells ?? '-'))].join('+'),
        rows: body.results.reduce((n, r) => n + r.data.length, 0),
      });
    } catch {
      // a page closed before its answer was read
    }
  });
  return seen;
}

/** From the click on "Calcola" to the pivot rendered for that view (timed in the page). */
async function timePivot(
  page: Page,
  round: number,
): Promise<{ ms: number; rows: number; cols: number }> {
  // The last complete year and the one before, in turn, so the view (its URL and its queries)
  // is a new one each round; whole years (the totals are protected at whole periods).
  const y = round % 2 ? YEAR - 1 : YEAR;
  await page.locator('#x-from').fill(`${y}-01-01`);
  await page.locator('#x-to').fill(`${y}-12-31`);
  await page.evaluate(`(() => {
    window.__pivotStart = Number.NaN;
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Calcola');
    button.addEventListener('click', () => { window.__pivotStart = performance.now(); }, { capture: true, once: true });
    const before = location.hash;
    window.__pivotDone = new Promise((resolve) => {
      const seen = new MutationObserver(() => {
        const r = document.querySelector('[data-testid="pivot-result"][data-rendered]');
        if (r && location.hash !== before && r.getAttribute('data-rendered') === new URLSearchParams(location.hash.split('?')[1]).get('v') && document.querySelector('table.pivot tbody tr')) {
          seen.disconnect();
          resolve(performance.now());
        }
      });
      seen.observe(document.body, { childList: true, subtree: true, attributes: true });
    });
  })()`);
  await page.getByRole('button', { name: 'Calcola' }).click();
  const took = await page.evaluate<number>(
    `Promise.race([window.__pivotDone.then((d) => d - window.__pivotStart),
      new Promise((_, reject) => setTimeout(() => reject(new Error('pivot not rendered in 180 s')), 180000))])`,
  );
  const rows = await page.locator('table.pivot tbody tr').count();
  const cols = await page.locator('table.pivot thead th').count();
  return { ms: took, rows, cols };
}

type Measured = {
  cold: { first: number[]; all: number[] };
  warm: { first: number[]; all: number[] };
  each: Map<string, number[]>;
  states: Record<string, string>;
  loads: LoadSeen[];
  load: { cold: string; warm: string };
};

/** Cold and warm rounds of the cruscotto for one login. */
async function measure(
  browser: Browser,
  url: string,
  username: string,
  problems: string[],
): Promise<Measured> {
  const out: Measured = {
    cold: { first: [], all: [] },
    warm: { first: [], all: [] },
    each: new Map(),
    states: {},
    loads: [],
    load: { cold: '', warm: '' },
  };
  const keep = (t: Timed) => {
    for (const [k, [v, state]] of Object.entries(t.each)) {
      out.each.set(k, [...(out.each.get(k) ?? []), v]);
      out.states[k] = state;
    }
  };
  out.load.cold = await loadavg();
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const page = await newPage(browser, problems);
    await login(page, url, username);
    const last = i === WARMUP + ROUNDS - 1;
    const loads = last ? watchLoads(page) : null;
    const t = await timeCruscotto(page);
    if (i >= WARMUP) {
      out.cold.first.push(t.first);
      out.cold.all.push(t.all);
      keep(t);
    }
    if (loads) {
      await page.waitForTimeout(200);
      out.loads = loads;
    }
    await page.context().close();
  }
  const bad = Object.entries(out.states).filter(([, s]) => s === 'error');
  if (bad.length) throw new Error(`${username}: failed: ${bad.map(([k]) => k).join(', ')}`);
  if (DELIVERIES > 0) {
    const without = [
      ...DELIVERY_CHARTS.map((c) => `chart:${c}`),
      ...DELIVERY_KPIS.map((c) => `kpi:${c}`),
    ].filter((k) => out.states[k] !== 'ready');
    if (without.length) throw new Error(`${username}: no deliveries data in ${without.join(', ')}`);
  }
  out.load.warm = await loadavg();
  const page = await newPage(browser, problems);
  await login(page, url, username);
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    await page.evaluate(() => {
      location.hash = '#/';
    });
    await page.getByRole('heading', { level: 1, name: /Buongiorno/ }).waitFor();
    const t = await timeCruscotto(page);
    if (i >= WARMUP) {
      out.warm.first.push(t.first);
      out.warm.all.push(t.all);
      keep(t);
    }
  }
  await page.context().close();
  return out;
}

export async function run(): Promise<BenchResult> {
  const started = performance.now();
  const key = 'bench-cruscotti-pseudonym-key-0123456789';
  const ui = await startUiHub({
    DEMO_PERSONS: PERSONS,
    DEMO_INTAKE_PER_THOUSAND: INTAKE,
    PSEUDONYM_KEY: key,
    // No scheduled load: a full rebuild would replace the generated deliveries with the demo's.
    ETL_SCHEDULE: '0',
  });
  const notes: string[] = [];
  // Load the warehouse once, in full, from the demo; then the generated deliveries in its build.
  await runEtl({ db: ui.hub.db, warehouse: ui.hub.warehouse, pseudonymKey: key }, 'FULL');
  if (DELIVERIES > 0) {
    const readers = cubeReadersOf(await ui.hub.db.query(VIEWER_ORGANIZATIONS_SQL));
    const d = await replaceDeliveries(ui.hub.warehouse, {
      deliveries: DELIVERIES,
      year: YEAR,
      readers,
    });
    const [shape] = await ui.hub.warehouse.read(
      `SELECT count(DISTINCT service_code) AS services, count(DISTINCT municipality_code) AS municipalities,
              count(DISTINCT office_id) AS offices, count(*) FILTER (WHERE district_code = '10-02') AS zona2
         FROM main.fact_delivery`,
    );
    notes.push(
      `deliveries: ${d.deliveries} generated (${YEAR - 1}–${YEAR}) over the demo's dimensions (${shape?.services} services, ${shape?.municipalities} municipalities, ${shape?.offices} offices; ${shape?.zona2} in Zona sociale 2), ${d.duties} SIUSS duties, ${d.persons} beneficiaries, into the hub's build with rollups and protected cells in ${d.seconds} s (${d.sdcRows} protected tables for ${readers.length} readers in ${d.sdcSeconds} s)`,
    );
  }
  const browser = await launchBrowser();
  try {
    const setupSeconds = (performance.now() - started) / 1000;
    const problems: string[] = [];
    const logins = [
      { username: 'planner.regione', label: 'planner (region)' },
      { username: 'dirigente.perugia', label: 'manager (Zona 2)' },
    ];
    const rows: BenchRow[] = [];
    const slow: string[] = [];
    const row = (what: string, xs: number[], target: number, load: string): BenchRow => ({
      what,
      ...latencyColumns(xs, target),
      loadavg: load,
    });
    for (const l of logins) {
      const m = await measure(browser, ui.url, l.username, problems);
      rows.push(
        row(`${l.label} cold: first chart with data`, m.cold.first, 1000, m.load.cold),
        row(`${l.label} cold: every chart and card settled`, m.cold.all, 1000, m.load.cold),
        row(`${l.label} warm: first chart with data`, m.warm.first, 1000, m.load.warm),
        row(`${l.label} warm: every chart and card settled`, m.warm.all, 1000, m.load.warm),
      );
      const each = [...m.each]
        .map(([k, xs]) => [k, quantile(xs, 0.5), quantile(xs, 0.95)] as const)
        .sort((a, b) => b[2] - a[2]);
      notes.push(
        `${l.label}, each chart and card settled (cold and warm rounds together, p50/p95 ms, state): ${each.map(([k, a, b]) => `${k} ${ms(a)}/${ms(b)} ${m.states[k]}`).join('; ')}`,
      );
      const loads = [...m.loads].sort((a, b) => b.ms - a.ms);
      notes.push(
        `${l.label}, the last cold round's /cubejs-api/v1/load answers (request → response ms, source, protected cells, rows): ${loads.map((x) => `[${x.query}] ${x.ms} ${x.source} ${x.cells} ${x.rows}`).join('; ')}`,
      );
      for (const x of loads) if (x.ms > 1000) slow.push(`${l.label}: [${x.query}] ${x.ms} ms`);
    }

    const planner = await newPage(browser, problems);
    await login(planner, ui.url, 'planner.regione');
    await planner.evaluate(() => {
      location.hash = '#/esplora';
    });
    await planner.getByRole('heading', { level: 1, name: 'Esplora i dati' }).waitFor();
    const pivotCube = DELIVERIES > 0 ? 'deliveries' : 'intake';
    await planner.getByLabel('Cubo').selectOption(pivotCube);
    await planner
      .getByLabel('Righe', { exact: true })
      .selectOption(
        pivotCube === 'deliveries' ? 'deliveries.serviceName' : 'intake.municipalityName',
      );
    await planner.getByLabel('Colonne', { exact: true }).selectOption('@time');
    const pivotLoads = watchLoads(planner);
    const pivotRow = async (label: string, rounds: number, warmup: number) => {
      const load = await loadavg();
      const took: number[] = [];
      let shape = { rows: 0, cols: 0 };
      pivotLoads.length = 0;
      try {
        for (let i = 0; i < warmup + rounds; i++) {
          const t = await timePivot(planner, i);
          shape = { rows: t.rows, cols: t.cols };
          if (i >= warmup) took.push(t.ms);
        }
      } catch (err) {
        notes.push(`pivot${label} failed after ${took.length} rounds: ${String(err)}`);
        if (took.length === 0) return;
      }
      rows.push(
        row(
          `pivot ${shape.rows - 1} rows × ${shape.cols - 2} columns + totals${label}: click → rendered`,
          took,
          300,
          load,
        ),
      );
      const byQuery = new Map<string, LoadSeen[]>();
      for (const x of pivotLoads) byQuery.set(x.query, [...(byQuery.get(x.query) ?? []), x]);
      const p = (xs: LoadSeen[], q: number) =>
        quantile(
          xs.map((x) => x.ms),
          q,
        );
      notes.push(
        `pivot${label}, its queries (request → response p50/p95 ms, source, protected cells): ${[
          ...byQuery,
        ]
          .map(
            ([q, xs]) =>
              `[${q}] ${p(xs, 0.5)}/${p(xs, 0.95)} ${xs[0]?.source} ${[...new Set(xs.map((x) => x.cells))].join('+')}`,
          )
          .join('; ')}`,
      );
    };
    await pivotRow('', ROUNDS, WARMUP);
    if (pivotCube === 'deliveries') {
      // The same pivot with a second measure: a shape the warehouse does not precompute.
      await planner.getByRole('checkbox', { name: 'Beneficiari distinti' }).check({ force: true });
      await pivotRow(' (+ distinct beneficiaries: computed live)', LIVE_ROUNDS, 1);
    }
    await planner.context().close();
    if (problems.length) throw new Error(`page problems: ${problems.join('; ')}`);
    if (slow.length) notes.push(`answers over 1 s: ${slow.join('; ')}`);
    notes.push(
      'cold: a fresh browser context (no cache) and a new login each round, timed from the navigation to #/cruscotto; warm: the same page, home then back; loadavg: /proc/loadavg (1, 5, 15 min) when the rounds began, on a machine shared with other work',
      `pivot: ${pivotCube}.count by ${pivotCube === 'deliveries' ? 'service' : 'municipality'} (rows) × month (columns) of ${YEAR} and ${YEAR - 1} in turn, one query per grouping level (4), as the regional planner`,
      `hub: PGlite, demo region with ${PERSONS} persons (${INTAKE} intake per thousand): the intake and case cubes are the demo's; ready with its warehouse in ${setupSeconds.toFixed(1)} s; Debian Chromium, headless`,
    );
    return {
      title: `Cruscotti and cube explorer in headless Chromium (${DELIVERIES > 0 ? `${DELIVERIES} deliveries` : 'demo region'})`,
      rows,
      notes,
    };
  } finally {
    await browser.close();
    await ui.close();
  }
}
