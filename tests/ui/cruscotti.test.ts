import { runEtl } from '@hub/etl';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean } from './ui-test-kit.ts';

// Issue 12, "what it must show": the manager's cruscotto and the planner's explorer in Debian's
// Chromium against a real hub (demo region, warehouse loaded by its ETL), as the demo accounts;
// screenshots under tests/test-output/ui, axe-core on both screens, no CSP violation or error.
// The deliveries and SIUSS cards depend on cubes another branch adds: each test reads /meta and
// asserts whichever state it reports (the cards filled, or "dato non ancora disponibile"), and
// says which in its output.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { tokenOf } = apiOf(() => ui.url);

const cubeLoad = async (token: string, query: unknown) => {
  const res = await fetch(`${ui.url}/cubejs-api/v1/load`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { results?: { data: Record<string, unknown>[] }[] },
  };
};

/** The texts of a chart's table alternative, row by row (the details opened first). */
async function tableOf(page: Page, chart: string): Promise<string[][]> {
  const card = page.locator(`[data-chart="${chart}"]`);
  const details = card.locator('details');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await details.locator('summary').click();
  return card
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
    );
}

const settled = (page: Page, chart: string) =>
  expect
    .poll(() => page.locator(`[data-chart="${chart}"]`).getAttribute('data-state'), {
      timeout: 60_000,
    })
    .toMatch(/^(ready|empty|unavailable|error)$/);

let deliveriesInMeta = false;
let siussInMeta = false;

// CRUSCOTTI_UI_URL: a hub already running (`npm start` with the demo region and a built UI),
// to work on these screens without starting one per run; by default the test starts its own.
const external = process.env.CRUSCOTTI_UI_URL;
const PSEUDONYM_KEY = 'ui-test-cruscotti-pseudonym-key-0123456789';

beforeAll(async () => {
  if (external) ui = { hub: null as never, url: external, close: async () => {} };
  else {
    // The hub's ETL schedule is off under NODE_ENV=test: load the warehouse once, in full.
    ui = await startUiHub({ PSEUDONYM_KEY: PSEUDONYM_KEY });
    await runEtl(
      { db: ui.hub.db, warehouse: ui.hub.warehouse, pseudonymKey: PSEUDONYM_KEY },
      'FULL',
    );
  }
  browser = await launchBrowser();
  // The hub's ETL builds the warehouse on its first tick: wait for it.
  const token = await tokenOf('planner.regione');
  const deadline = Date.now() + 180_000;
  for (;;) {
    const r = await cubeLoad(token, { measures: ['intake.count'] });
    if (r.status === 200) break;
    if (Date.now() > deadline) throw new Error(`warehouse not loaded: ${r.status}`);
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  const meta = (await (
    await fetch(`${ui.url}/cubejs-api/v1/meta`, { headers: { authorization: token } })
  ).json()) as { cubes: { name: string; measures: { name: string }[] }[] };
  const measures = meta.cubes.flatMap((c) => c.measures.map((m) => m.name));
  deliveriesInMeta = ['deliveries.count', 'deliveries.beneficiaries', 'deliveries.spending'].every(
    (m) => measures.includes(m),
  );
  siussInMeta = measures.includes('siussDuties.overdue');
  console.info(
    `[cruscotti] /meta: deliveries cube ${deliveriesInMeta ? 'PRESENT (cards must show data)' : 'ABSENT (cards must say "dato non ancora disponibile")'}; siussDuties cube ${siussInMeta ? 'PRESENT' : 'ABSENT'}`,
  );
  // Starting a hub (UI build, demo region) took over 5 minutes on a loaded machine.
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('the cruscotto of a manager', () => {
  let page: Page;

  beforeAll(async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'dirigente.perugia');
  });
  afterAll(() => page.context().close());

  it('should open from the home page with KPI cards, each compared or saying why not', async () => {
    await page.getByRole('link', { name: 'Cruscotto' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Cruscotto' }).waitFor();
    const accesses = page.locator('[data-kpi="accesses"]');
    await expect.poll(() => accesses.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    await expect.poll(() => accesses.textContent()).toMatch(/rispetto al periodo precedente/);
    await expect.poll(() => accesses.textContent()).toMatch(/stesso periodo dell.anno prima/);
    for (const kpi of ['deliveries', 'beneficiaries', 'spending']) {
      const card = page.locator(`[data-kpi="${kpi}"]`);
      if (deliveriesInMeta) {
        await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
        await expect.poll(() => card.getByTestId('kpi-value').textContent()).toMatch(/\d|oscurato/);
      } else {
        await expect.poll(() => card.textContent()).toContain('dato non ancora disponibile');
      }
    }
    const siuss = page.locator('[data-kpi="siussOverdue"]');
    if (siussInMeta)
      await expect.poll(() => siuss.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    else await expect.poll(() => siuss.textContent()).toContain('dato non ancora disponibile');
    for (const chart of ['trend', 'geo', 'report', 'map', 'channel', 'targetArea', 'service'])
      await settled(page, chart);
    // Every chart with data says when it was loaded and from what.
    for (const chart of ['geo', 'report', 'trend']) {
      const card = page.locator(`[data-chart="${chart}"]`);
      await expect
        .poll(() => card.getByTestId('provenance').textContent())
        .toMatch(/Dati aggiornati al .*Fonte: magazzino dati/s);
    }
    expect(await page.locator('[data-chart="service"]').getAttribute('data-state')).toBe(
      deliveriesInMeta ? 'ready' : 'unavailable',
    );
    await axeClean(page, 'cruscotto');
    await screenshot(page, '20-cruscotto-manager');
  });

  it('should drill from the region to a district, a municipality and its offices', async () => {
    const districts = await tableOf(page, 'geo');
    expect(districts.length).toBeGreaterThan(0);
    const district = districts[0]?.[0] as string;
    await page.locator('[data-chart="geo"] tbody tr').first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('drill-path').textContent()).toContain(district);
    await expect
      .poll(() => page.locator('[data-chart="geo"] h3').textContent())
      .toBe('Accessi per comune');
    await settled(page, 'geo');
    const municipalities = await tableOf(page, 'geo');
    expect(municipalities.length).toBeGreaterThan(0);
    const municipality = municipalities[0]?.[0] as string;
    await page.locator('[data-chart="geo"] tbody tr').first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('drill-path').textContent()).toContain(municipality);
    await expect
      .poll(() => page.locator('[data-chart="geo"] h3').textContent())
      .toBe('Accessi per ufficio o punto di contatto');
    await settled(page, 'geo');
    await screenshot(page, '21-cruscotto-drill-municipality');
    // The other charts follow the path: the report now counts that municipality only.
    await settled(page, 'report');
    const report = await tableOf(page, 'report');
    expect(report.length).toBeLessThanOrEqual(1);
    // Back up to the region from the path.
    await page.getByTestId('drill-path').getByRole('button').first().click();
    await expect
      .poll(() => page.locator('[data-chart="geo"] h3').textContent())
      .toBe('Accessi per zona sociale');
  });

  it('should cross-filter the other charts from a breakdown', async () => {
    await settled(page, 'channel');
    const channels = await tableOf(page, 'channel');
    expect(channels.length).toBeGreaterThan(0);
    const before = await tableOf(page, 'report');
    await page.locator('[data-chart="channel"] tbody tr').first().getByRole('button').click();
    await expect
      .poll(() => page.getByTestId('cross-filters').textContent())
      .toContain(channels[0]?.[0] as string);
    await settled(page, 'report');
    await expect
      .poll(async () => JSON.stringify(await tableOf(page, 'report')), { timeout: 60_000 })
      .not.toBe('');
    const after = await tableOf(page, 'report');
    // Accesses of one channel are never more than accesses of all channels, zone by zone.
    for (const row of after) {
      const all = before.find((r) => r[0] === row[0]);
      const n = (s: string | undefined) => Number((s ?? '').replace(/\./g, '').replace(',', '.'));
      if (all && !Number.isNaN(n(row[1])) && !Number.isNaN(n(all[1])))
        expect(n(row[1])).toBeLessThanOrEqual(n(all[1]));
    }
    // A chart of another cube says the filter does not apply to it.
    await settled(page, 'targetArea');
    await screenshot(page, '22-cruscotto-cross-filter');
  });

  it('should export a chart as XLSX with the same cells as its table', async () => {
    await settled(page, 'report');
    const rows = await tableOf(page, 'report');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-chart="report"]').getByRole('button', { name: 'Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('rapporto-degli-accessi-per-zona-sociale.xlsx');
    const path = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([
      undefined,
      'Zona sociale',
      'Accessi',
      'Persone',
      'Quota anonimi',
    ]);
    rows.forEach((r, i) => {
      const x = ws?.getRow(i + 2);
      expect(x?.getCell(1).value).toBe(r[0]);
      const shown = r[1] as string;
      const cell = x?.getCell(2).value;
      if (shown === 'oscurato') expect(cell).toBe('oscurato');
      else expect(String(cell)).toBe(shown.replace(/\./g, ''));
    });
    const notes: string[] = [];
    ws?.eachRow((row) => {
      const v = row.getCell(1).value;
      if (typeof v === 'string' && /^(Dati aggiornati|Fonte|Filtri)/.test(v)) notes.push(v);
    });
    expect(notes.some((n) => n.startsWith('Dati aggiornati al'))).toBe(true);
    expect(notes.some((n) => n.startsWith('Fonte: magazzino dati'))).toBe(true);
    // The PNG of the same chart.
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-chart="report"]').getByRole('button', { name: 'Immagine PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
  });
});

describe('the cube explorer of a planner', () => {
  let page: Page;
  let cells: string[] = [];
  let viewUrl = '';

  beforeAll(async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'planner.regione');
  });
  afterAll(() => page.context().close());

  const pivotCells = () =>
    page
      .locator('table.pivot tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim()).join(' | '),
        ),
      );

  it('should build a pivot of persons by municipality and month with suppressed cells marked', async () => {
    await page.getByRole('link', { name: 'Esplora i cubi' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Esplora i dati' }).waitFor();
    await page.getByLabel('Cubo').selectOption('intake');
    await page.getByLabel('Persone distinte').check({ force: true });
    await page.getByLabel('Accessi', { exact: true }).uncheck({ force: true });
    await page.getByLabel('Righe', { exact: true }).selectOption('intake.municipalityName');
    await page.getByLabel('Colonne', { exact: true }).selectOption('@time');
    await page.getByRole('button', { name: 'Calcola' }).click();
    await page.getByTestId('pivot-result').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('pivot-result').getAttribute('data-rendered'), {
        timeout: 60_000,
      })
      .toBeTruthy();
    cells = await pivotCells();
    expect(cells.length).toBeGreaterThan(1);
    // The grand total row and column are the engine's.
    expect(await page.locator('table.pivot tr[data-kind="total"]').count()).toBe(1);
    const suppressed = page.locator('table.pivot td[data-suppressed="true"]');
    expect(await suppressed.count()).toBeGreaterThan(0);
    expect(await suppressed.first().getAttribute('title')).toMatch(/riservatezza/);
    expect(await suppressed.first().textContent()).toContain('oscurato');
    viewUrl = page.url();
    expect(viewUrl).toMatch(/#\/esplora\?v=/);
    await axeClean(page, 'explorer');
    await screenshot(page, '23-explorer-pivot');
  });

  it('should move through the pivot with the keyboard', async () => {
    await page.locator('table.pivot td[data-cell="0-0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe(
      '1-1',
    );
  });

  it('should export the pivot as XLSX, CSV and PDF with the suppressed cells marked', async () => {
    const get = async (name: string) => {
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('pivot-result').getByRole('button', { name, exact: true }).click(),
      ]);
      return d;
    };
    const xlsx = await get('Excel');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await xlsx.path());
    const values: unknown[] = [];
    wb.worksheets[0]?.eachRow((r) => {
      r.eachCell((c) => {
        values.push(c.value);
      });
    });
    expect(values).toContain('oscurato');
    expect(values).toContain('Totale');
    const csv = await get('CSV');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(await csv.path(), 'utf8')).toContain('oscurato');
    const pdf = await get('PDF');
    const bytes = await readFile(await pdf.path());
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  });

  it('should reopen the saved view by its URL, in another session, with the same cells', async () => {
    const other = await newPage(browser, problems);
    await login(other, ui.url, 'planner.regione');
    const hash = new URL(viewUrl).hash;
    await other.evaluate((h) => {
      location.hash = h;
    }, hash);
    await expect
      .poll(() => other.getByTestId('pivot-result').getAttribute('data-rendered'), {
        timeout: 60_000,
      })
      .toBeTruthy();
    const again = await other
      .locator('table.pivot tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim()).join(' | '),
        ),
      );
    expect(again).toEqual(cells);
    await screenshot(other, '24-explorer-reopened');
    await other.context().close();
  });

  it('should refuse a day of the range that does not exist beside its field, asking nothing', async () => {
    const before = page.url();
    const from = page.locator('#x-from');
    await from.fill('31/02/2026');
    await page.getByRole('button', { name: 'Calcola' }).click();
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#x-from-error').textContent()).toContain('gg/mm/aaaa');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('x-from');
    expect(await from.inputValue()).toBe('31/02/2026');
    expect(page.url()).toBe(before);
    await axeClean(page, 'explorer, wrong date');
    await screenshot(page, '24a-explorer-wrong-date');
    // Left empty again: the view's own range (the last complete year).
    await from.fill('');
  });

  it('should drill into a cell, one level down with the cell as a filter', async () => {
    await page.getByLabel('Righe', { exact: true }).selectOption('intake.districtName');
    await page.getByRole('button', { name: 'Calcola' }).click();
    await expect
      .poll(() => page.locator('table.pivot thead th').first().textContent(), { timeout: 60_000 })
      .toMatch(/Zona sociale/);
    await page.locator('table.pivot td[data-cell="0-0"]').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('table.pivot thead th').first().textContent(), { timeout: 60_000 })
      .toMatch(/Comune/);
    await screenshot(page, '25-explorer-drill');
  });
});

describe('a manager of Terni', () => {
  it('should see nothing of Perugia, in the cruscotto and in the cube API', async () => {
    const terni = await tokenOf('dirigente.terni');
    const perugia = await tokenOf('dirigente.perugia');
    // By municipality (ISTAT code): Perugia (054039) is in zona sociale 2, not in Terni's.
    const q = { measures: ['intake.count'], dimensions: ['intake.municipality'] };
    const t = await cubeLoad(terni, q);
    const p = await cubeLoad(perugia, q);
    expect(t.status).toBe(200);
    const codes = (r: typeof t) =>
      (r.body.results?.[0]?.data ?? [])
        .map((x) => x['intake.municipality'])
        .filter((x) => x !== null)
        .map(String);
    expect(codes(p)).toContain('054039');
    expect(codes(t).length).toBeGreaterThan(0);
    expect(codes(t)).not.toContain('054039');
    for (const c of codes(t)) expect(codes(p)).not.toContain(c);
    const perugiaNames = ['Zona sociale 2 – Perugia', 'Perugia', 'Corciano', 'Torgiano'];

    const page = await newPage(browser, problems);
    await login(page, ui.url, 'dirigente.terni');
    await page.evaluate(() => {
      location.hash = '#/cruscotto';
    });
    await settled(page, 'report');
    await settled(page, 'map');
    const shown = [...(await tableOf(page, 'report')), ...(await tableOf(page, 'geo'))].map(
      (r) => r[0],
    );
    for (const n of perugiaNames) expect(shown).not.toContain(n);
    if ((await page.locator('[data-chart="map"]').getAttribute('data-state')) === 'ready') {
      const municipalities = (await tableOf(page, 'map')).map((r) => r[0]);
      expect(municipalities).not.toContain('Perugia');
    }
    await screenshot(page, '26-cruscotto-terni');
    await page.context().close();
  });

  it('should have met no CSP violation nor script error on any page', () => {
    expect(problems).toEqual([]);
  });
});
