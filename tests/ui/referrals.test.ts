import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean, itDay } from './ui-test-kit.ts';

// Issue 11, referrals in and out of the case file: the social worker refers the case to another
// body (a future date refused at the field, nothing typed lost, the referral shown after a
// reload) and to an office picked from the list the API offers (referralTargets); a colleague
// receives a referral to the office in "Segnalazioni ricevute", accepts it with a note and opens
// the case it gave her. Each referral keeps its receiver's name as picked when sent, so one no
// longer among the targets (an agreement ended, an operator gone) is still named in the list.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);
let worker: string;
let caseFileId: string;

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
  worker = await tokenOf('as.perugia');
  const cases = await gql('query { myCaseFiles(status: IN_CARE, limit: 20) { id } }', {}, worker);
  expect(cases.errors).toBeUndefined();
  caseFileId = cases.data.myCaseFiles[0]?.id;
  expect(caseFileId, 'a case in care of the social worker').toBeTruthy();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

const field = (form: Locator, name: string) => form.locator(`[name="${name}"]`);
const referrals = async () =>
  (
    await gql(
      'query($id: UUID!) { caseFile(id: $id) { referrals { id kind toOfficeId toBody toName reason status sentOn answerNote } } }',
      { id: caseFileId },
      worker,
    )
  ).data.caseFile.referrals as {
    id: string;
    kind: string;
    toOfficeId: string | null;
    toBody: string | null;
    toName: string | null;
    reason: string;
    status: string;
    answerNote: string | null;
  }[];

describe('the social worker of the case', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
  });
  afterAll(() => page.context().close());

  it('should refer the case to another body: a future date refused at the field, nothing lost, shown after a reload', async () => {
    await page.goto(`${ui.url}/#/cartella/casi/${caseFileId}?tab=referrals`);
    const form = page.getByTestId('referral-form');
    await form.waitFor();
    // The list of targets has loaded: the kind decides which one the select offers.
    await field(form, 'toOfficeId').waitFor();
    await axeClean(page, 'referrals');
    // Another body named in words: the free-text choice is the default for that kind.
    await field(form, 'kind').selectOption('OTHER_BODY');
    expect(await field(form, 'toOrganizationId').inputValue()).toBe('other');
    // The keyboard from the body: Tab to the date, Tab to the reason.
    await field(form, 'toBody').focus();
    await page.keyboard.type('Centro per l’impiego di Perugia');
    await page.keyboard.press('Tab');
    await page.keyboard.type(itDay(3));
    await page.keyboard.press('Tab');
    await page.keyboard.type('Orientamento al lavoro e bilancio di competenze');
    await form.getByRole('button', { name: 'Invia' }).click();
    const on = field(form, 'on');
    await expect.poll(() => on.getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator(`#${await on.getAttribute('id')}-error`).textContent()).toContain(
      'futuro',
    );
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('on');
    expect(await field(form, 'toBody').inputValue()).toBe('Centro per l’impiego di Perugia');
    expect(await field(form, 'reason').inputValue()).toBe(
      'Orientamento al lavoro e bilancio di competenze',
    );
    expect((await referrals()).some((r) => r.toBody === 'Centro per l’impiego di Perugia')).toBe(
      false,
    );
    await axeClean(page, 'referral refused');
    await screenshot(page, 'referrals-01-refused');

    await on.fill(itDay(-1));
    await form.getByRole('button', { name: 'Invia' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Segnalazione inviata.');
    expect(await field(form, 'reason').inputValue()).toBe('');

    // The token lived in memory: sign in again after the reload, on the same tab.
    await page.reload();
    await page.getByLabel('Nome utente').fill('as.perugia');
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Accedi' }).click();
    const row = page
      .getByTestId('referral-list')
      .locator('tbody tr')
      .filter({ hasText: 'Centro per l’impiego di Perugia' });
    await expect.poll(() => row.count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain(itDay(-1));
    expect(text).toContain('A un altro ente');
    expect(text).toContain('Orientamento al lavoro e bilancio di competenze');
    expect(text).toContain('Inviata');
    await screenshot(page, 'referrals-02-sent');
    expect(await referrals()).toContainEqual(
      expect.objectContaining({
        kind: 'OTHER_BODY',
        toBody: 'Centro per l’impiego di Perugia',
        status: 'SENT',
      }),
    );
  });

  it('should refer the case to an office picked from the list of targets, shown after a reload', async () => {
    const targets = await gql(
      'query($id: UUID!) { referralTargets(caseFileId: $id) { offices { id name level organizationName basis } } }',
      { id: caseFileId },
      worker,
    );
    expect(targets.errors).toBeUndefined();
    const offices = targets.data.referralTargets.offices as {
      id: string;
      name: string;
      level: number;
      organizationName: string;
    }[];
    const office = offices.find((o) => o.level === 1) ?? offices[0];
    expect(office, 'an office the case may be referred to').toBeTruthy();
    const reason = 'Sostegno al reddito: valutazione del servizio';

    await page.goto(`${ui.url}/#/cartella/casi/${caseFileId}?tab=referrals`);
    const form = page.getByTestId('referral-form');
    const select = field(form, 'toOfficeId');
    await select.waitFor();
    // The select offers exactly the offices the API lists, named with their organisation.
    const values = await select
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(values.sort()).toEqual(offices.map((o) => o.id).sort());
    expect(await select.locator(`option[value="${office!.id}"]`).textContent()).toContain(
      office!.organizationName,
    );
    // Without a target the API's message stands beside the select, nothing is sent.
    await field(form, 'reason').fill(reason);
    await form.getByRole('button', { name: 'Invia' }).click();
    await expect.poll(() => select.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'toOfficeId',
    );
    expect((await referrals()).some((r) => r.reason === reason)).toBe(false);

    await select.selectOption(office!.id);
    await form.getByRole('button', { name: 'Invia' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Segnalazione inviata.');
    await screenshot(page, 'referrals-05-office-sent');

    await page.reload();
    await page.getByLabel('Nome utente').fill('as.perugia');
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Accedi' }).click();
    const row = page.getByTestId('referral-list').locator('tbody tr').filter({ hasText: reason });
    await expect.poll(() => row.count()).toBe(1);
    // Named as it was picked: the office with its organisation.
    const picked = `${office!.name} – ${office!.organizationName}`;
    await expect.poll(() => row.textContent()).toContain(picked);
    const text = await row.textContent();
    expect(text).toContain('A un altro servizio');
    expect(text).toContain('Inviata');
    await axeClean(page, 'referral to an office');
    await screenshot(page, 'referrals-06-office-listed');
    expect(await referrals()).toContainEqual(
      expect.objectContaining({
        kind: 'SERVICE',
        toOfficeId: office!.id,
        toName: picked,
        reason,
        status: 'SENT',
      }),
    );
  });

  it('should still name a receiver that is no longer among the targets', async () => {
    const sent = (await referrals()).filter((r) => r.toName);
    expect(sent.length, 'referrals to a listed receiver').toBeGreaterThan(0);
    // The list of targets comes back empty, as when every agreement has ended: the referrals
    // already sent keep their receivers' names, stored when they were sent.
    await page.route(`${ui.url}/graphql`, async (route) => {
      if (!route.request().postData()?.includes('referralTargets')) return route.fallback();
      await route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          data: { referralTargets: { offices: [], operators: [], organizations: [] } },
        }),
      });
    });
    try {
      // Loaded afresh (the token lived in memory: sign in again on the same tab).
      await page.goto(`${ui.url}/#/cartella/casi/${caseFileId}?tab=referrals`);
      await page.reload();
      await page.getByLabel('Nome utente').fill('as.perugia');
      await page.getByLabel('Password').fill('demo');
      await page.getByRole('button', { name: 'Accedi' }).click();
      const form = page.getByTestId('referral-form');
      await expect.poll(() => form.textContent()).toContain('Nessun destinatario');
      const list = page.getByTestId('referral-list');
      for (const r of sent)
        await expect
          .poll(() => list.locator(`[data-referral="${r.id}"]`).textContent())
          .toContain(r.toName as string);
      await axeClean(page, 'referrals, targets gone');
      await screenshot(page, 'referrals-07-targets-gone');
    } finally {
      await page.unroute(`${ui.url}/graphql`);
    }
  });
});

describe('a colleague of the office', () => {
  it('should receive a referral to the office, accept it with a note and open the case', async () => {
    const colleague = await tokenOf('as2.perugia');
    const me = await gql('query { me { memberships { officeId role } } }', {}, colleague);
    const officeId = me.data.me.memberships.find(
      (m: { role: string }) => m.role === 'SOCIAL_WORKER',
    )?.officeId as string;
    expect(officeId).toBeTruthy();
    const made = await gql(
      'mutation($id: UUID!, $input: CreateReferralInput!) { createReferral(caseFileId: $id, input: $input) { id } }',
      {
        id: caseFileId,
        input: { kind: 'SERVICE', toOfficeId: officeId, reason: 'Sostegno educativo domiciliare' },
      },
      worker,
    );
    expect(made.errors).toBeUndefined();
    const referralId = made.data.createReferral.id as string;

    const page = await newPage(browser, problems);
    await login(page, ui.url, 'as2.perugia');
    await page.getByRole('link', { name: 'Segnalazioni ricevute' }).first().click();
    const item = page.locator(`[data-referral="${referralId}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Sostegno educativo domiciliare');
    await axeClean(page, 'incoming referrals');
    await screenshot(page, 'referrals-03-incoming');
    await item.getByLabel('Nota per chi ha inviato').fill('Presa in carico dal servizio educativo');
    await item.getByRole('button', { name: /Accogli la segnalazione/ }).click();
    await expect
      .poll(() => page.getByTestId('referral-notice').textContent())
      .toContain('Segnalazione accolta');
    expect(await page.locator(`[data-referral="${referralId}"]`).count()).toBe(0);
    await page
      .getByTestId('referral-notice')
      .getByRole('link', { name: 'Apri la cartella' })
      .click();
    await page.getByTestId('case-title').waitFor();
    await screenshot(page, 'referrals-04-accepted');
    expect((await referrals()).find((r) => r.id === referralId)).toMatchObject({
      status: 'ACCEPTED',
      answerNote: 'Presa in carico dal servizio educativo',
    });
    await page.context().close();
  });
});

describe('every page', () => {
  it('should have met no CSP violation and no script error', () => {
    expect(problems).toEqual([]);
  });
});
