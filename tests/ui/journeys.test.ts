import { DEMO_PERSON } from '@hub/casework/demo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withCheckChar } from './tax-code.ts';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean, itDay } from './ui-test-kit.ts';

// Issue 11, "what it must show": the operators' journeys in Debian's Chromium against a real hub
// with the demo region, as the demo accounts; a screenshot of each step under
// tests/test-output/ui, axe-core on every main page, no CSP violation or script error.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);
const NEW_PERSON = withCheckChar('VRDGLI90E54G478');

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('the web application', () => {
  it('should serve the built page at / with its own CSP and cache rules', async () => {
    const res = await fetch(`${ui.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(`${ui.url}${asset}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // The API keeps its own answers: an unknown API path is not the application's page.
    const api = await fetch(`${ui.url}/api/nothing-here`);
    expect(api.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(
      (
        await fetch(`${ui.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        })
      ).headers.get('cache-control'),
    ).toBe('no-store');
  });

  it('should refuse a wrong password on the login page and say so', async () => {
    const page = await newPage(browser, problems);
    await page.goto(`${ui.url}/`);
    await axeClean(page, 'login');
    await screenshot(page, '01-login');
    await page.getByLabel('Nome utente').fill('udc.perugia');
    await page.getByLabel('Password').fill('sbagliata');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/credenziali|password/i);
    await page.context().close();
  });
});

describe('front desk: registry search, intake record, consent rule, proposal', () => {
  let page: Page;
  let recordUrl = '';

  beforeAll(async () => {
    // A resident known to the registry with no case file yet, so that the social worker opens one.
    const created = await gql(
      'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }',
      {
        input: {
          taxCode: NEW_PERSON,
          firstName: 'Giulia',
          lastName: 'Verdi',
          sex: 'F',
          birthDate: '1990-05-14',
          birthPlaceCode: 'G478',
          residenceMunicipality: '054039',
        },
      },
      await tokenOf('udc.perugia'),
    );
    expect(created.errors).toBeUndefined();
    page = await newPage(browser, problems);
    await login(page, ui.url, 'udc.perugia');
  });
  afterAll(() => page.context().close());

  it('should show the office and desk the operator works at, on an accessible home page', async () => {
    await expect
      .poll(() => page.getByTestId('desk-name').textContent())
      .toContain('Ufficio della Cittadinanza');
    await expect
      .poll(() => page.getByTestId('office-name').textContent())
      .toBe('Servizio sociale professionale');
    await axeClean(page, 'home front desk');
    await screenshot(page, '02-home-front-desk');
  });

  it('should find the person by codice fiscale', async () => {
    await page.getByRole('link', { name: 'Ricerca in anagrafe' }).first().click();
    await page.getByLabel('Codice fiscale').fill(NEW_PERSON.toLowerCase());
    await page.getByRole('button', { name: 'Cerca' }).click();
    const results = page.getByTestId('person-results');
    await expect.poll(() => results.textContent()).toContain('Verdi Giulia');
    await axeClean(page, 'registry search');
    await screenshot(page, '03-registry-search');
    await page.getByRole('link', { name: /Nuova scheda per questa persona/ }).click();
    await expect.poll(() => page.getByTestId('chosen-subject').textContent()).toContain(NEW_PERSON);
  });

  it('should refuse a citizen who denies consent, say why beside the field, and keep what was typed', async () => {
    await page
      .getByLabel('Sintesi del colloquio')
      .fill('Chiede aiuto per il pagamento delle bollette.');
    await page.getByLabel('Note sanitarie').fill('Diabete, segue terapia insulinica.');
    await page.getByLabel('Decisione sul consenso').selectOption('DENIED');
    await page.getByTestId('save-intake').click();
    const rule = page.getByTestId('consent-rule');
    await expect.poll(() => rule.textContent()).toContain('senza il suo consenso');
    // The API's message sits beside the field it names (extensions.field = input.consent).
    await expect.poll(() => page.locator('#consent').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#consent-error').textContent()).toContain('consenso');
    expect(await page.getByLabel('Sintesi del colloquio').inputValue()).toContain('bollette');
    await axeClean(page, 'intake refused');
    await screenshot(page, '04-intake-consent-refused');
  });

  it('should record the intake record with a need and a service once consent is given', async () => {
    await page.getByLabel('Decisione sul consenso').selectOption('GIVEN');
    const need = page.getByLabel('Bisogno', { exact: true });
    const firstNeed = await need.locator('option').nth(1).getAttribute('value');
    await need.selectOption(firstNeed as string);
    await page.getByRole('button', { name: 'Aggiungi bisogno' }).click();
    await page.getByTestId('service-search').fill('assistenza domiciliare');
    await page.getByTestId('service-search').press('Enter');
    await page.getByTestId('service-hits').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('chosen-service').count()).toBe(1);
    await screenshot(page, '05-intake-filled');
    await page.getByTestId('save-intake').click();
    await expect
      .poll(() => page.getByTestId('confirmation').textContent())
      .toMatch(/Scheda di accesso n\. \d+ registrata/);
    recordUrl = page.url();
    expect(await page.getByTestId('health-notes').textContent()).toContain('Diabete');
    await axeClean(page, 'intake view');
    await screenshot(page, '06-intake-saved');
  });

  it('should list the record, filtered, with the exports', async () => {
    await page.getByRole('link', { name: 'Schede di accesso' }).first().click();
    await page.getByLabel('Codice fiscale').fill(NEW_PERSON);
    // A day that does not exist asks nothing: the field says why, the list stays as it was.
    const filters = page.getByTestId('intake-filters');
    const from = filters.locator('input[name="from"]');
    await page.getByTestId('intake-list').waitFor();
    let asked = 0;
    const count = (r: { url(): string }) => {
      if (r.url().endsWith('/graphql')) asked++;
    };
    page.on('request', count);
    await from.fill('30/02/2026');
    await page.getByRole('button', { name: 'Applica i filtri' }).click();
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe('true');
    expect(
      await filters.locator(`#${await from.getAttribute('id')}-error`).textContent(),
    ).toContain('gg/mm/aaaa');
    page.off('request', count);
    expect(asked).toBe(0);
    await screenshot(page, '07a-intake-list-wrong-date');
    // The day typed gg/mm/aaaa: the records of today, the one just recorded among them.
    await from.fill(itDay(0));
    await page.getByRole('button', { name: 'Applica i filtri' }).click();
    await expect.poll(() => from.getAttribute('aria-invalid')).toBeNull();
    await expect
      .poll(() => page.getByTestId('intake-list').locator('tbody tr').count())
      .toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Esporta in Excel' }).click();
    expect((await download).suggestedFilename()).toBe('schede-di-accesso.xlsx');
    await axeClean(page, 'intake list');
    await screenshot(page, '07-intake-list');
  });

  it('should propose the record for taking into care after a confirmation', async () => {
    await page.goto(recordUrl);
    await page.getByTestId('propose').click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Proponi per la presa in carico' })
      .click();
    await expect
      .poll(() => page.getByTestId('intake-status').textContent())
      .toBe('Proposta per la presa in carico');
    await screenshot(page, '08-intake-proposed');
  });
});

describe('a masking desk', () => {
  it('should not have the health notes in the page at all, in the view nor in the form', async () => {
    const desk = await tokenOf('udc.perugia');
    const created = await gql(
      `mutation($input: CreateIntakeRecordInput!) { createIntakeRecord(input: $input) { id } }`,
      {
        input: {
          occurredAt: new Date().toISOString(),
          channel: 'IN_PERSON',
          accessKind: 'CITIZEN',
          subject: { taxCode: DEMO_PERSON.taxCode },
          consent: { status: 'GIVEN' },
          social: {
            healthNotes: 'Nota sanitaria riservata 4711',
            familyNotes: 'Vive con la figlia',
          },
        },
      },
      desk,
    );
    const id = created.data.createIntakeRecord.id as string;
    const page = await newPage(browser, problems);
    await login(page, ui.url, 'sportello.immigrati');
    await page.goto(`${ui.url}/#/accesso/schede/${id}`);
    await expect
      .poll(() => page.getByTestId('intake-details').textContent())
      .toContain('Vive con la figlia');
    const html = await page.content();
    expect(html).not.toContain('4711');
    expect(await page.getByTestId('health-notes').count()).toBe(0);
    await page.goto(`${ui.url}/#/accesso/schede/${id}/modifica`);
    await page.getByTestId('intake-form').waitFor();
    expect(await page.locator('[name="social.healthNotes"]').count()).toBe(0);
    expect(await page.locator('[name="social.judicialNotes"]').count()).toBe(0);
    expect(await page.content()).not.toContain('4711');
    await axeClean(page, 'masked form');
    await screenshot(page, '09-masking-desk-form');
    await page.context().close();
  });
});

describe('social worker: inbox, case file, diary, Barthel, PAI', () => {
  let page: Page;

  beforeAll(async () => {
    page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
  });
  afterAll(() => page.context().close());
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await screenshot(page, `failed-${ctx.task.name.slice(0, 40)}`);
  });

  it('should refuse to reject a judicial report and say why', async () => {
    const desk = await tokenOf('udc.perugia');
    const created = await gql(
      `mutation($input: CreateIntakeRecordInput!) { createIntakeRecord(input: $input) { id number } }`,
      {
        input: {
          occurredAt: new Date().toISOString(),
          channel: 'WRITTEN_REPORT',
          accessKind: 'JUDICIAL_AUTHORITY',
          subject: { taxCode: DEMO_PERSON.taxCode },
          summary: 'Decreto del Tribunale per i minorenni',
        },
      },
      desk,
    );
    expect(created.errors).toBeUndefined();
    const { id, number } = created.data.createIntakeRecord;
    expect(
      (
        await gql(
          'mutation($id: UUID!) { proposeIntakeRecordForCare(id: $id) { id } }',
          { id },
          desk,
        )
      ).errors,
    ).toBeUndefined();
    await page.getByRole('link', { name: 'Proposte di presa in carico' }).first().click();
    await page.getByRole('button', { name: `Respingi n. ${number}` }).click();
    await page.getByRole('dialog').getByLabel('Motivazione').fill('Non di competenza');
    await page.getByRole('dialog').getByRole('button', { name: 'Respingi' }).click();
    await expect
      .poll(() => page.getByTestId('reject-refused').textContent())
      .toMatch(/Autorità Giudiziaria/);
    await axeClean(page, 'inbox');
    await screenshot(page, '10-inbox-judicial-refused');
  });

  it('should open the case file from the front desk proposal', async () => {
    const card = page.getByTestId('proposals').locator('li').filter({ hasText: 'Verdi Giulia' });
    await card.getByRole('button', { name: 'Apri la cartella' }).click();
    const dialog = page.getByRole('dialog');
    const area = dialog.getByLabel('Area target');
    await area.selectOption((await area.locator('option').nth(1).getAttribute('value')) as string);
    await dialog
      .getByLabel('Sintesi del primo colloquio')
      .fill('Primo colloquio: situazione economica difficile.');
    await dialog.getByRole('button', { name: 'Apri la cartella' }).click();
    await expect.poll(() => page.getByTestId('case-title').textContent()).toContain('Verdi Giulia');
    await axeClean(page, 'case file');
    await screenshot(page, '11-case-file');
  });

  it('should write a diary entry', async () => {
    await page.getByRole('tab', { name: 'Diario' }).click();
    await page
      .getByTestId('diary-form')
      .getByLabel('Testo')
      .fill('Telefonata con la figlia: disponibile ad aiutare.');
    await page.getByRole('button', { name: 'Aggiungi al diario' }).click();
    await expect
      .poll(() => page.getByTestId('diary-entries').textContent())
      .toContain('disponibile ad aiutare');
    await axeClean(page, 'diary');
    await screenshot(page, '12-diary');
  });

  it('should record a Barthel assessment with its score', async () => {
    // Keyboard: the tabs move with the arrows.
    await page.getByRole('tab', { name: 'Diario' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByRole('tab', { selected: true }).textContent())
      .toBe('Valutazioni');
    const form = page.getByTestId('barthel-form');
    const selects = form.locator('select');
    const n = await selects.count();
    for (let i = 0; i < n; i++) {
      const s = selects.nth(i);
      // The first score after the placeholder is the item's best (the API lists them descending).
      const best = await s.locator('option').nth(1).getAttribute('value');
      await s.selectOption(best as string);
    }
    await page.getByRole('button', { name: 'Registra la valutazione' }).click();
    await expect
      .poll(() => page.getByTestId('barthel-saved').textContent())
      .toMatch(/punteggio 100/);
    expect(await page.getByTestId('assessments').textContent()).toContain('BARTHEL');
    await axeClean(page, 'assessments');
    await screenshot(page, '13-barthel');
  });

  it('should create a PAI with a goal and a review', async () => {
    await page.getByRole('tab', { name: 'PAI' }).click();
    const form = page.getByTestId('plan-form');
    await form.getByLabel('Titolo del piano').fill('Sostegno al domicilio');
    await form.getByLabel('Obiettivo (1)').fill('Riduzione delle spese per le utenze');
    await form.getByLabel('Prima verifica entro il').fill(itDay(60));
    await form.getByRole('button', { name: 'Crea il PAI' }).click();
    await expect
      .poll(() => page.getByTestId('care-plan').first().textContent())
      .toContain('Sostegno al domicilio');
    await axeClean(page, 'care plan');
    await screenshot(page, '14-care-plan');
  });

  it('should upload a document to the case and download it back', async () => {
    await page.getByRole('tab', { name: 'Documenti' }).click();
    await page.getByLabel(/^File/).setInputFiles({
      name: 'relazione.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Relazione del primo colloquio.\n'),
    });
    await page.getByTestId('upload-form').getByLabel('Descrizione').fill('Relazione');
    await page.getByRole('button', { name: 'Carica il documento' }).click();
    await expect.poll(() => page.getByTestId('documents').textContent()).toContain('relazione.txt');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Scarica relazione.txt' }).click();
    expect((await download).suggestedFilename()).toBe('relazione.txt');
    await axeClean(page, 'documents');
    await screenshot(page, '15a-documents');
  });

  it('should list the case among the worker’s cases and show the operators enabled', async () => {
    await page.getByRole('tab', { name: 'Operatori' }).click();
    await expect
      .poll(() => page.getByTestId('case-operators').textContent())
      .toContain('Elena Marchetti');
    await page.getByRole('link', { name: 'Cartelle sociali' }).first().click();
    await expect.poll(() => page.getByTestId('case-list').textContent()).toContain('Verdi Giulia');
    await axeClean(page, 'case list');
    await screenshot(page, '15-case-list');
  });
});

describe('on a tablet', () => {
  it('should fit the intake list in 768 pixels without sideways scrolling of the page', async () => {
    const page = await newPage(browser, problems);
    await page.setViewportSize({ width: 768, height: 1024 });
    await login(page, ui.url, 'udc.perugia');
    await page.goto(`${ui.url}/#/accesso/schede`);
    await page.getByTestId('intake-list').waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '17-tablet-intake-list');
    await page.context().close();
  });
});

describe('an administrative clerk', () => {
  it('should land on a home page with the deliveries module', async () => {
    const page = await newPage(browser, problems);
    await login(page, ui.url, 'amm.perugia');
    expect(await page.locator('main').textContent()).toContain('Erogazione interventi');
    await axeClean(page, 'home admin staff');
    await screenshot(page, '16-home-admin-staff');
    await page.context().close();
  });
});

describe('every page', () => {
  it('should have met no CSP violation and no script error', () => {
    expect(problems).toEqual([]);
  });
});
