import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean } from './ui-test-kit.ts';

// The SINBA section of the SIUSS page, in Debian's Chromium against a real hub with the demo
// region: the minors' records (one per SInBA assessment) a page at a time with their state and
// deadline, filtered by state, and the resend of a record INPS rejected, asked for first in a
// dialog and then checked in the store through the API.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);
let clerk: string;
/** The SInBA assessment whose record INPS has rejected in this run. */
let rejectedId: string;

const SINBA = `query($filter: SiussSinbaDutyFilter) { siussSinbaDuties(filter: $filter) {
  total items { id state personName rejectionReason } } }`;

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
  clerk = await tokenOf('amm.perugia');
  const all = await gql(SINBA, { filter: { limit: 500 } }, clerk);
  expect(all.errors).toBeUndefined();
  const items = all.data.siussSinbaDuties.items as { id: string; state: string }[];
  expect(items.length, 'SINBA records in the demo of the Perugia zone').toBeGreaterThan(0);
  // INPS rejects one of them (as its outcome would, through POST /esiti).
  rejectedId = items[0]!.id;
  await ui.hub.db.query(
    `UPDATE siuss_sinba_duty SET state = 'REJECTED', rejection_code = 'RICHIESTA_INVALIDA',
            rejection_reason = 'Valutazione del minore incoerente con la scuola frequentata'
      WHERE assessment_id = $1`,
    [rejectedId],
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('the SINBA section of the SIUSS page', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'amm.perugia');
  });
  afterAll(() => page.context().close());

  it('should list the minors’ records with state and deadline, filter them and resend a rejected one after confirming', async () => {
    await page.getByRole('link', { name: 'Debito informativo SIUSS' }).first().click();
    const section = page.getByTestId('sinba-section');
    await section.getByRole('heading', { name: 'Minori in carico (SINBA)' }).waitFor();
    const table = section.getByTestId('sinba-duties');
    const api = await gql(SINBA, { filter: { limit: 25 } }, clerk);
    const total = api.data.siussSinbaDuties.total as number;
    await expect
      .poll(() => section.getByTestId('sinba-total').textContent())
      .toContain(total === 1 ? '1 record SINBA' : `${total.toLocaleString('it-IT')} record SINBA`);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(25, total));
    // Each row has its deadline (a date) and its state in words.
    const first = table.locator('tbody tr').first();
    expect(await first.locator('td').nth(2).textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(await first.getByTestId('sinba-state').textContent()).toMatch(
      /Da inviare|In un flusso|Inviato|Accolto da INPS|Scartato da INPS/,
    );
    await axeClean(page, 'siuss sinba');
    await screenshot(page, 'siuss-sinba-01-list');

    // By state: only the rejected one, with INPS's reason and the button to resend it.
    await section.getByLabel('Stato del record').selectOption('REJECTED');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    const row = table.locator(`tbody tr[data-assessment="${rejectedId}"]`);
    expect(await row.textContent()).toContain('Valutazione del minore incoerente');
    expect(await row.textContent()).toContain('RICHIESTA_INVALIDA');

    // The button asks first; cancelling changes nothing.
    await row.getByRole('button', { name: /Rinvia il record SINBA di/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Rinviare il record SINBA?' });
    await dialog.waitFor();
    await axeClean(page, 'siuss sinba confirm');
    await screenshot(page, 'siuss-sinba-02-confirm');
    await dialog.getByRole('button', { name: 'Annulla' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const still = await gql(SINBA, { filter: { states: ['REJECTED'] } }, clerk);
    expect(still.data.siussSinbaDuties.items.map((d: { id: string }) => d.id)).toEqual([
      rejectedId,
    ]);

    await row.getByRole('button', { name: /Rinvia il record SINBA di/ }).click();
    await dialog.getByRole('button', { name: 'Rinvia' }).click();
    await expect
      .poll(() => section.getByTestId('sinba-notice').textContent())
      .toContain('prossimo flusso');
    await expect
      .poll(async () => (await section.textContent())?.includes('Nessun record SINBA'))
      .toBe(true);
    await screenshot(page, 'siuss-sinba-03-resent');
    const after = await gql(SINBA, { filter: { limit: 500 } }, clerk);
    const resent = (after.data.siussSinbaDuties.items as { id: string; state: string }[]).find(
      (d) => d.id === rejectedId,
    );
    expect(resent?.state).toBe('DUE');
    expect(problems).toEqual([]);
  });
});
