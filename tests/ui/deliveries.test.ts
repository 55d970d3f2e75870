import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean, itOf, todayIso } from './ui-test-kit.ts';

// Issue 11, Erogazione interventi: the administrative clerk's journeys in Debian's Chromium
// against a real hub with the demo region (its interventions, the cooperative's deliveries
// waiting for verification, the SIUSS duties with INPS's rejections): the interventions list
// with filters, paging and exports; an intervention with its deliveries; recording a delivery
// from the keyboard; the verification queue with undo; the SIUSS page with a resend; and a clerk
// at a masking desk, checked in the DOM. A screenshot of each step, axe-core on every page.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);

type Iv = {
  id: string;
  startOn: string;
  endOn: string | null;
  status: string;
  isee: { value: number } | null;
  beneficiary: { lastName: string | null; firstName: string | null };
};
let clerk: string;
/** An active intervention running today, with an ISEE: the one the clerk records on. */
let target: Iv;

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
  clerk = await tokenOf('amm.perugia');
  const list = await gql(
    `query { interventions(filter: { status: ACTIVE, limit: 500 }) { total items {
      id startOn endOn status isee { value } beneficiary { lastName firstName } } } }`,
    {},
    clerk,
  );
  expect(list.errors).toBeUndefined();
  const today = todayIso();
  const found = (list.data.interventions.items as Iv[]).find(
    (i) => i.startOn < today && (!i.endOn || i.endOn >= today) && i.isee !== null,
  );
  expect(found, 'an active intervention with an ISEE in the demo').toBeTruthy();
  target = found as Iv;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('an administrative clerk', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'amm.perugia');
  });
  afterAll(() => page.context().close());

  it('should find the deliveries module on the home page and in the menu', async () => {
    const main = page.locator('main');
    expect(await main.textContent()).toContain('Erogazione interventi');
    expect(await main.getByRole('link', { name: 'Erogazioni da verificare' }).count()).toBe(1);
    await axeClean(page, 'home admin staff');
    await screenshot(page, 'deliveries-01-home');
  });

  it('should list the interventions, filter them, page through them and export them', async () => {
    await page.getByRole('link', { name: 'Interventi' }).first().click();
    const list = page.getByTestId('intervention-list');
    const heading = page.locator('#interventions-heading');
    await expect.poll(() => heading.textContent()).toMatch(/^\d[\d.]* interventi$/);
    const all = Number((await heading.textContent())?.replace(/\D/g, ''));
    const api = await gql('query { interventions { total } }', {}, clerk);
    expect(all).toBe(api.data.interventions.total);
    // Ten a page: the demo holds more than ten, so there is a second page to go to.
    expect(all).toBeGreaterThan(10);
    await page.getByLabel('Righe per pagina').selectOption('10');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(10);
    const firstPage = await list.locator('tbody tr').first().textContent();
    await page.getByRole('button', { name: 'Pagina successiva' }).click();
    const pages = Math.ceil(all / 10);
    await expect.poll(() => page.getByText(`Pagina 2 di ${pages}`).count()).toBe(1);
    await expect.poll(() => list.locator('tbody tr').first().textContent()).not.toBe(firstPage);
    await expect.poll(() => list.locator('tbody tr').count()).toBe(Math.min(10, all - 10));
    await axeClean(page, 'intervention list');
    await screenshot(page, 'deliveries-02-interventions');

    // The beneficiary by surname, then the person: only the interventions of that person.
    const surname = target.beneficiary.lastName as string;
    await page.getByLabel('Cognome del beneficiario').fill(surname);
    await page.getByLabel('Cognome del beneficiario').press('Enter');
    await page.getByLabel('Beneficiario trovato').waitFor();
    await page.getByLabel('Stato').selectOption('ACTIVE');
    // A day that does not exist asks nothing: the field says why and the list stays as it was.
    const filters = page.getByTestId('intervention-filters');
    const from = filters.locator('input[name="from"]');
    let asked = 0;
    const count = (r: { url(): string }) => {
      if (r.url().endsWith('/graphql')) asked++;
    };
    page.on('request', count);
    await from.fill('31/02/2026');
    await page.getByRole('button', { name: 'Applica i filtri' }).click();
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe('true');
    expect(
      await filters.locator(`#${await from.getAttribute('id')}-error`).textContent(),
    ).toContain('gg/mm/aaaa');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('from');
    expect(await from.inputValue()).toBe('31/02/2026');
    page.off('request', count);
    expect(asked).toBe(0);
    expect(Number((await heading.textContent())?.replace(/\D/g, ''))).toBe(all);
    await axeClean(page, 'intervention list, wrong date');
    await screenshot(page, 'deliveries-03a-filter-wrong-date');
    // A day typed gg/mm/aaaa is taken, and the list asks again with it.
    await from.fill(itOf(target.startOn));
    await page.getByRole('button', { name: 'Applica i filtri' }).click();
    await expect.poll(() => from.getAttribute('aria-invalid')).toBeNull();
    await expect
      .poll(async () => Number((await heading.textContent())?.replace(/\D/g, '')))
      .toBeLessThan(all);
    const rows = await list.locator('tbody tr td:first-child a').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.startsWith(surname)).toBe(true);
    await screenshot(page, 'deliveries-03-interventions-filtered');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Esporta in Excel' }).click();
    expect((await download).suggestedFilename()).toBe('interventi.xlsx');
    const pdf = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Esporta in PDF' }).click();
    expect((await pdf).suggestedFilename()).toBe('interventi.pdf');
  });

  it('should show an intervention with its deliveries and their SIUSS state', async () => {
    await page.goto(`${ui.url}/#/erogazioni/interventi/${target.id}`);
    await expect
      .poll(() => page.getByTestId('intervention-title').textContent())
      .toContain(target.beneficiary.lastName as string);
    expect(await page.getByTestId('intervention-isee').textContent()).toMatch(/€ [\d.]+,\d\d/);
    await expect
      .poll(() => page.getByTestId('delivery-list').locator('tbody tr').count())
      .toBeGreaterThan(0);
    await axeClean(page, 'intervention');
    await screenshot(page, 'deliveries-04-intervention');
  });

  it('should record a delivery from the keyboard, with the API’s error at the field and nothing lost', async () => {
    const before = (
      await gql(
        'query($id: UUID!) { deliveries(filter: { interventionId: $id }) { total } }',
        { id: target.id },
        clerk,
      )
    ).data.deliveries.total as number;
    const form = page.getByTestId('delivery-form');
    // The date (a day before the intervention starts), then the keyboard only: the quantity,
    // Tab to the amount, Tab to the note, Tab to the button, Enter.
    const dayBefore = new Date(`${target.startOn}T12:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    await form
      .locator('input[name="deliveredOn"]')
      .fill(itOf(dayBefore.toISOString().slice(0, 10)));
    await form.locator('input[name="quantity"]').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('amount');
    // An amount given (a contribution has no tariff to price it): the date is what is wrong.
    await page.keyboard.type('250');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Visita di controllo');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // The API refuses a day outside the intervention and names the field (input.deliveredOn).
    const date = form.locator('input[name="deliveredOn"]');
    await expect.poll(() => date.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator(`#${await date.getAttribute('id')}-error`).textContent()).toContain(
      'fuori dal periodo',
    );
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'deliveredOn',
    );
    expect(await form.locator('input[name="quantity"]').inputValue()).toBe('2');
    expect(await form.locator('textarea[name="note"]').inputValue()).toBe('Visita di controllo');
    expect(await form.locator('input[name="amount"]').inputValue()).toBe('250');
    await axeClean(page, 'delivery refused');
    await screenshot(page, 'deliveries-05-delivery-refused');

    // A day that does not exist: said beside the date, as typed, nothing sent.
    await date.fill('31/02/2026');
    await date.press('Enter');
    await expect
      .poll(async () => form.locator(`#${await date.getAttribute('id')}-error`).textContent())
      .toContain('gg/mm/aaaa');
    expect(await date.inputValue()).toBe('31/02/2026');

    // Not a number: said beside the quantity, nothing sent.
    await form.locator('input[name="deliveredOn"]').fill(itOf(todayIso()));
    await form.locator('input[name="quantity"]').fill('due');
    await form.locator('input[name="quantity"]').press('Enter');
    await expect
      .poll(() => form.locator('input[name="quantity"]').getAttribute('aria-invalid'))
      .toBe('true');

    await form.locator('input[name="quantity"]').fill('2');
    await form.locator('input[name="quantity"]').press('Enter');
    await expect
      .poll(() => page.getByTestId('delivery-confirmation').textContent())
      .toMatch(/Erogazione del \d\d\/\d\d\/\d{4} registrata: € 250,00/);
    expect(await form.locator('textarea[name="note"]').inputValue()).toBe('');
    const after = (
      await gql(
        'query($id: UUID!) { deliveries(filter: { interventionId: $id }) { total items { deliveredOn note status } } }',
        { id: target.id },
        clerk,
      )
    ).data.deliveries;
    expect(after.total).toBe(before + 1);
    expect(after.items).toContainEqual({
      deliveredOn: todayIso(),
      note: 'Visita di controllo',
      status: 'RECORDED',
    });
    await expect
      .poll(() => page.getByTestId('delivery-list').locator('tbody tr').first().textContent())
      .toContain('Registrata dall’ufficio');
    await axeClean(page, 'delivery recorded');
    await screenshot(page, 'deliveries-06-delivery-recorded');
  });

  it('should verify a provider’s delivery with undo, and dispute one with its reason', async () => {
    await page.getByRole('link', { name: 'Erogazioni da verificare' }).first().click();
    const list = page.getByTestId('verify-list');
    await expect.poll(() => list.locator('tbody tr').count()).toBeGreaterThan(1);
    await axeClean(page, 'verification queue');
    await screenshot(page, 'deliveries-07-verify');

    const first = list.locator('tbody tr').first();
    const firstId = (await first.getAttribute('data-delivery')) as string;
    await first.getByRole('button', { name: 'Accetta' }).click();
    await expect.poll(() => first.textContent()).toContain('sarà registrata');
    await screenshot(page, 'deliveries-08-verify-undo');
    await first.getByRole('button', { name: /Annulla la decisione/ }).click();
    await expect
      .poll(() => page.getByTestId('verify-notice').textContent())
      .toContain('di nuovo da verificare');
    const state = async (id: string) =>
      (await gql('query($id: UUID!) { delivery(id: $id) { status disputeReason } }', { id }, clerk))
        .data.delivery;
    expect((await state(firstId)).status).toBe('TO_VERIFY');

    await first.getByRole('button', { name: 'Accetta' }).click();
    await expect
      .poll(() => page.getByTestId('verify-notice').textContent(), { timeout: 15_000 })
      .toBe('Erogazione accettata.');
    expect((await state(firstId)).status).toBe('ACCEPTED');
    expect(await list.locator(`[data-delivery="${firstId}"]`).count()).toBe(0);

    const second = list.locator('tbody tr').first();
    const secondId = (await second.getAttribute('data-delivery')) as string;
    await second.getByRole('button', { name: 'Contesta' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Contesta' }).click();
    await expect.poll(() => dialog.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    await dialog
      .getByLabel('Motivo della contestazione')
      .fill('Ore non previste dal piano di assistenza');
    await axeClean(page, 'dispute dialog');
    await screenshot(page, 'deliveries-09-dispute');
    await dialog.getByRole('button', { name: 'Contesta' }).click();
    await expect
      .poll(() => page.getByTestId('verify-notice').textContent(), { timeout: 15_000 })
      .toBe('Erogazione contestata.');
    expect(await state(secondId)).toEqual({
      status: 'DISPUTED',
      disputeReason: 'Ore non previste dal piano di assistenza',
    });
  });

  it('should show the SIUSS duties due soon, overdue and rejected with INPS’s reason, and resend one', async () => {
    await page.getByRole('link', { name: 'Debito informativo SIUSS' }).first().click();
    await page.getByRole('tab', { name: 'In scadenza' }).waitFor();
    await expect
      .poll(
        async () => (await page.locator('main').textContent())?.includes('Caricamento') === false,
      )
      .toBe(true);
    await axeClean(page, 'siuss due soon');
    await screenshot(page, 'deliveries-10-siuss-due');
    const count = async (view: string) =>
      (await gql(`query { siussDuties(view: ${view}, limit: 100) { deliveryId } }`, {}, clerk)).data
        .siussDuties.length as number;
    const shown = async () =>
      (await page.locator('main').textContent())?.includes('Nessun record in questa vista')
        ? 0
        : page.getByTestId('siuss-duties').locator('tbody tr').count();
    await expect.poll(shown).toBe(await count('DUE_SOON'));
    await page.getByRole('tab', { name: 'Scaduti' }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Scaduti' }).getAttribute('aria-selected'))
      .toBe('true');
    await expect
      .poll(
        async () => (await page.locator('main').textContent())?.includes('Caricamento') === false,
      )
      .toBe(true);
    const overdue = await count('OVERDUE');
    await expect.poll(shown).toBe(overdue);
    // Every row of the overdue view says so.
    expect(await page.locator('[data-testid="siuss-duties"] tbody tr .badge').count()).toBe(
      overdue,
    );
    await screenshot(page, 'deliveries-11-siuss-overdue');

    await page.getByRole('tab', { name: 'Scartati da INPS' }).click();
    const table = page.getByTestId('siuss-duties');
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    const reason = await table.getByTestId('rejection-reason').first().textContent();
    expect(reason?.trim().length).toBeGreaterThan(3);
    await axeClean(page, 'siuss rejected');
    await screenshot(page, 'deliveries-12-siuss-rejected');
    const rows = await table.locator('tbody tr').count();
    const resent = (await table
      .locator('tbody tr')
      .first()
      .getAttribute('data-delivery')) as string;
    await table
      .locator('tbody tr')
      .first()
      .getByRole('button', { name: /Rinvia il record di/ })
      .click();
    await expect
      .poll(() => page.getByTestId('siuss-notice').textContent())
      .toContain('prossimo flusso');
    expect(await table.locator('tbody tr').count()).toBe(rows - 1);
    const still = await gql(
      'query { siussDuties(view: REJECTED, limit: 100) { deliveryId } }',
      {},
      clerk,
    );
    expect(still.errors).toBeUndefined();
    expect(still.data.siussDuties.map((d: { deliveryId: string }) => d.deliveryId)).not.toContain(
      resent,
    );
  });
});

describe('a clerk at a masking desk', () => {
  it('should not have the ISEE of an intervention in the page at all', async () => {
    // urp.perugia's desk masks health, judicial, permit and economic data; made an administrative
    // clerk of the same office too, it reads interventions, and its desk still masks them.
    await ui.hub.db.query(
      `INSERT INTO membership (operator_id, office_id, role)
       SELECT m.operator_id, m.office_id, 'ADMIN_STAFF' FROM membership m
         JOIN operator o ON o.id = m.operator_id WHERE o.username = 'urp.perugia'`,
    );
    const desk = await tokenOf('urp.perugia');
    const seen = await gql(
      'query($id: UUID!) { intervention(id: $id) { isee { value } maskedFields } }',
      { id: target.id },
      desk,
    );
    expect(seen.data.intervention).toMatchObject({ isee: null });
    expect(seen.data.intervention.maskedFields).toContain('isee');

    const page = await newPage(browser, problems);
    await login(page, ui.url, 'urp.perugia');
    await page.goto(`${ui.url}/#/erogazioni/interventi/${target.id}`);
    await page.getByTestId('intervention-details').waitFor();
    expect(await page.getByTestId('intervention-isee').count()).toBe(0);
    const html = await page.content();
    expect(html).not.toContain(
      target.isee?.value.toLocaleString('it-IT', { minimumFractionDigits: 2 }),
    );
    expect(await page.locator('main').textContent()).toContain('oscurati');
    // What the lead masks next (the user area, health-related service codes) is absent too once
    // the answer names it: the page prints only what maskedFields does not list.
    const masked = seen.data.intervention.maskedFields as string[];
    const area = await gql(
      'query($id: UUID!) { intervention(id: $id) { userArea } }',
      { id: target.id },
      desk,
    );
    const areaShown = !masked.includes('userArea') && area.data.intervention.userArea !== null;
    expect(await page.getByTestId('intervention-user-area').count()).toBe(areaShown ? 1 : 0);
    await axeClean(page, 'intervention masked');
    await screenshot(page, 'deliveries-13-masking-desk');
    await page.context().close();
  });
});

describe('every page', () => {
  it('should have met no CSP violation and no script error', () => {
    expect(problems).toEqual([]);
  });
});
