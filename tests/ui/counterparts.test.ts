import { createRegistryNotificationStore } from '@hub/casework';
import { DEMO_PERSON } from '@hub/casework/demo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean, itOf } from './ui-test-kit.ts';

// Issue 13 in the browser: the person form filled from ANPR with each field's source, and the
// case file's health tab reading the health registry, against the simulators `npm start` runs
// (which answer about the demo region's own persons).

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { tokenOf } = apiOf(() => ui.url);

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
}, 900_000); // the UI build and the demo region: minutes on a loaded machine
afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('the counterparts in the browser', () => {
  let page: Page;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await screenshot(page, `failed-${ctx.task.name.slice(0, 40)}`);
  });

  it('should fill the person form from ANPR, asking the reason first, each field marked with its source', async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'udc.perugia');
    await page.goto(`${ui.url}/#/accesso/nuova`);
    await page.getByLabel('Codice fiscale').fill(DEMO_PERSON.taxCode);
    await page.getByTestId('fill-from-anpr').click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'motivo' }).count())
      .toBeGreaterThan(0);
    await page.getByLabel(/Motivo della richiesta ad ANPR/).fill('Pratica 2026/118');
    await page.getByTestId('fill-from-anpr').click();
    await expect
      .poll(() => page.getByTestId('anpr-note').textContent())
      .toMatch(/compilati da ANPR/);
    expect(await page.getByLabel('Cognome').inputValue()).toBe(DEMO_PERSON.lastName.toUpperCase());
    expect(await page.getByLabel('Data di nascita').inputValue()).toBe(itOf(DEMO_PERSON.birthDate));
    expect(await page.getByText('Fonte: ANPR').count()).toBeGreaterThanOrEqual(4);
    // A field the operator changes is the operator's: its mark goes.
    const before = await page.getByText('Fonte: ANPR').count();
    await page.getByLabel('Indirizzo di residenza').fill('Via Roma 1');
    expect(await page.getByText('Fonte: ANPR').count()).toBe(before - 1);
    await axeClean(page, 'intake filled from ANPR');
    await screenshot(page, '20-intake-filled-from-anpr');
    await page.context().close();
  });

  it('should offer the family from ANPR in the intake form, each member added with one key, ANPR kept', async () => {
    // A person the simulated ANPR knows with a housemate: the same address is one family there.
    const [subject] = await ui.hub.db.query<{ taxCode: string }>(
      `SELECT p.tax_code AS "taxCode" FROM person p
        WHERE p.tax_code IS NOT NULL AND p.deleted_at IS NULL AND p.death_date IS NULL
          AND EXISTS (SELECT 1 FROM person q WHERE q.id <> p.id AND q.tax_code IS NOT NULL
                         AND q.deleted_at IS NULL AND q.residence_municipality = p.residence_municipality
                         AND lower(trim(q.residence_address)) = lower(trim(p.residence_address)))
        ORDER BY p.tax_code LIMIT 1`,
    );
    expect(subject).toBeDefined();
    page = await newPage(browser, problems);
    await login(page, ui.url, 'udc.perugia');
    await page.goto(`${ui.url}/#/accesso/nuova`);
    // Not offered before the subject is identified.
    expect(await page.getByTestId('anpr-family').count()).toBe(0);
    await page.getByLabel('Codice fiscale').fill(subject!.taxCode);
    await page.getByLabel(/Motivo della richiesta ad ANPR/).fill('Scheda 2026/140');
    await page.getByTestId('fill-from-anpr').click();
    await expect.poll(() => page.getByTestId('anpr-note').count()).toBe(1);
    const family = page.getByTestId('anpr-family');
    const reason = family.getByLabel('Motivo della richiesta della famiglia ad ANPR');
    // The reason given for the subject is offered again; Enter asks ANPR (and saves nothing).
    expect(await reason.inputValue()).toBe('Scheda 2026/140');
    await reason.press('Enter');
    await expect
      .poll(() => family.getByTestId('anpr-family-source').textContent())
      .toMatch(/Fonte: ANPR \(C021\), letta il/);
    expect(page.url()).toMatch(/#\/accesso\/nuova$/);
    const rows = family.getByTestId('anpr-family-members').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.filter({ hasText: 'Persona della scheda' }).count()).toBe(1);
    const member = rows.filter({ hasNotText: 'Persona della scheda' }).first();
    const name = (await member.locator('td').first().textContent())!.trim();
    // One key each: the reference person, then the household.
    await member.getByTestId('anpr-add-reference').focus();
    await page.keyboard.press('Enter');
    await member.getByTestId('anpr-add-household').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // again: added once
    expect(await member.getByTestId('anpr-add-reference').textContent()).toMatch(/Aggiunta come/);
    expect(await member.getByTestId('anpr-add-household').getAttribute('aria-disabled')).toBe(
      'true',
    );
    expect(await page.getByLabel('Nome e cognome').inputValue()).toBe(name);
    expect(
      await page
        .locator('[data-field="referencePersons.0.fullName"]')
        .getByText('Fonte: ANPR')
        .count(),
    ).toBe(1);
    expect(await page.getByLabel('Componenti del nucleo').inputValue()).toBe('2');
    expect(await page.getByLabel('Note sulla famiglia').inputValue()).toMatch(
      new RegExp(`^${name}, .*\\(fonte: ANPR\\)$`),
    );
    await axeClean(page, 'intake family from ANPR');
    await screenshot(page, '24-intake-family-from-anpr');

    // Saved: the reference person keeps ANPR as its source in its notes.
    await page.getByLabel('Decisione sul consenso').selectOption('GIVEN');
    await page.locator('#outcome').selectOption('INFORMATION_GIVEN');
    await page.getByTestId('save-intake').click();
    await expect.poll(() => page.url()).toMatch(/#\/accesso\/schede\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1)!;
    const saved = await ui.hub.db.query<{ fullName: string; notes: string }>(
      `SELECT full_name AS "fullName", notes FROM intake_reference_person WHERE intake_id = $1`,
      [id],
    );
    expect(saved).toEqual([{ fullName: name, notes: expect.stringMatching(/^Da ANPR \(C021\)/) }]);
    await page.context().close();
    expect(problems).toEqual([]);
  });

  it('should read the health profile in the case file’s health tab', async () => {
    const token = await tokenOf('as.perugia');
    const res = await fetch(`${ui.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ myCaseFiles(limit: 50) { id personId } }' }),
    });
    const files = ((await res.json()) as { data: { myCaseFiles: { id: string }[] } }).data
      .myCaseFiles;
    expect(files.length).toBeGreaterThan(0);
    page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
    await page.goto(`${ui.url}/#/cartella/casi/${files[0]!.id}?tab=health`);
    await page.getByTestId('read-health-profile').click();
    await expect
      .poll(() => page.getByTestId('health-profile').textContent())
      .toMatch(/ASL di assistenza/);
    expect(await page.getByTestId('health-source').textContent()).toMatch(
      /anagrafe sanitaria \(piemonte-aura\)/,
    );
    await axeClean(page, 'case health profile');
    await screenshot(page, '21-case-health-profile');
    await page.context().close();
    expect(problems).toEqual([]);
  });

  it('should tell the case operator on the home page of a change ANPR notified, until read', async () => {
    const token = await tokenOf('as.perugia');
    const res = await fetch(`${ui.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ myCaseFiles(limit: 50) { id personId status } }' }),
    });
    const files = (
      (await res.json()) as { data: { myCaseFiles: { personId: string; status: string }[] } }
    ).data.myCaseFiles.filter((f) => f.status !== 'CLOSED');
    const [subject] = await ui.hub.db.query<{ taxCode: string }>(
      `SELECT tax_code AS "taxCode" FROM person WHERE id = $1`,
      [files[0]!.personId],
    );
    // A new member of the family, as the C001 pull hands it to the store.
    await createRegistryNotificationStore(ui.hub.db).processOnce(
      {
        id: 'UI-C001-1',
        kind: 'NUOVO_COMPONENTE',
        eventDate: '2026-11-30',
        person: { taxCode: { value: subject!.taxCode } },
      },
      async () => undefined,
    );
    page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
    await page.goto(`${ui.url}/#/`);
    const notice = page
      .getByTestId('change-notice')
      .filter({ hasText: 'Nuovo componente del nucleo familiare dal 30/11/2026' });
    await expect.poll(() => notice.count()).toBe(1);
    await axeClean(page, 'home with a change notice');
    await screenshot(page, '23-home-change-notice');
    await notice.getByRole('button', { name: 'Segna come letta' }).click();
    await expect.poll(() => notice.count()).toBe(0);
    await page.context().close();
    expect(problems).toEqual([]);
  });

  it('should show the family from ANPR on the case file’s personal data, asking the reason first', async () => {
    const token = await tokenOf('as.perugia');
    const res = await fetch(`${ui.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ myCaseFiles(limit: 50) { id personId } }' }),
    });
    const files = ((await res.json()) as { data: { myCaseFiles: { id: string }[] } }).data
      .myCaseFiles;
    page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
    await page.goto(`${ui.url}/#/cartella/casi/${files[0]!.id}`);
    const panel = page.getByTestId('anpr-family');
    await panel.getByTestId('read-anpr-family').click();
    await expect
      .poll(() => panel.getByRole('status').filter({ hasText: 'motivo' }).count())
      .toBeGreaterThan(0);
    await panel.getByLabel(/Motivo della richiesta ad ANPR/).fill('Pratica 2026/130');
    await panel.getByTestId('read-anpr-family').click();
    await expect
      .poll(() => page.getByTestId('anpr-family-source').textContent())
      .toMatch(/Fonte: ANPR \(C021\), letta il/);
    // The case file's own person is among the members, and the hub holds them.
    expect(
      await page.getByTestId('anpr-family-members').locator('tbody tr').count(),
    ).toBeGreaterThan(0);
    expect(
      await page.getByTestId('anpr-family-members').getByRole('cell', { name: 'sì' }).count(),
    ).toBeGreaterThan(0);
    await axeClean(page, 'case family from ANPR');
    await screenshot(page, '22-case-family-from-anpr');
    await page.context().close();
    expect(problems).toEqual([]);
  });
});
