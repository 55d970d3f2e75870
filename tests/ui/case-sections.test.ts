import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean, itDay } from './ui-test-kit.ts';

// Issue 11, the case file's tabs "Dati sociali", "Invalidità" and "Disabilità", now written from
// the screen: the social worker records a social datum (its codes following the domain chosen),
// an invalidity and a disability, each meeting a refusal of the API named at its field with
// nothing typed lost, then finds it shown after a reload and held by the store.

let ui: UiHub;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);
let worker: string;
let caseFileId: string;
// biome-ignore lint/suspicious/noExplicitAny: the assertions check the answers
let lists: Record<string, { code: string; label: string }[]> = {} as any;

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
  worker = await tokenOf('as.perugia');
  const cases = await gql('query { myCaseFiles(status: IN_CARE, limit: 20) { id } }', {}, worker);
  expect(cases.errors).toBeUndefined();
  caseFileId = cases.data.myCaseFiles[0]?.id;
  expect(caseFileId, 'a case in care of the social worker').toBeTruthy();
  const codes = await gql(
    `query { caseCodeLists { work { code label } housing { code label } education { code label }
      invalidityCertification { code label } invalidityEvidence { code label } disabilityType { code label } } }`,
    {},
    worker,
  );
  lists = codes.data.caseCodeLists;
  page = await newPage(browser, problems);
  await login(page, ui.url, 'as.perugia');
}, 300_000);

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await ui?.close();
});

/** The token lived in memory: after a reload the worker signs in again, on the same tab. */
async function reloadSignedIn() {
  await page.reload();
  await page.getByLabel('Nome utente').fill('as.perugia');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByTestId('case-title').waitFor();
}
const field = (form: Locator, name: string) => form.locator(`[name="${name}"]`);
const errorOf = async (form: Locator, name: string) =>
  form.locator(`#${await field(form, name).getAttribute('id')}-error`).textContent();
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
const panel = () => page.getByRole('tabpanel');
const section = () =>
  gql(
    `query($id: UUID!) { caseFile(id: $id) {
      socialData { domain code description reliability recordedOn }
      invalidities { certification percentage recognizedOn }
      disabilities { disabilityType description law104Severe } } }`,
    { id: caseFileId },
    worker,
  );

describe('a social worker on the case file', () => {
  it('should record a social datum: the codes follow the domain, a future date refused at the field, nothing lost, shown after a reload', async () => {
    await page.goto(`${ui.url}/#/cartella/casi/${caseFileId}?tab=social`);
    const form = page.getByTestId('section-form-social');
    await form.waitFor();
    await axeClean(page, 'social data');
    // Work first: its codes; then housing, and the condition offers housing's codes.
    expect(await field(form, 'code').locator('option').count()).toBe(lists.work?.length);
    await field(form, 'domain').selectOption('HOUSING');
    await expect
      .poll(() => field(form, 'code').locator('option').allTextContents())
      .toEqual(lists.housing?.map((c) => c.label));
    const housing = lists.housing?.find((c) => c.code === 'RENTED') as {
      code: string;
      label: string;
    };
    await field(form, 'code').selectOption(housing.code);
    await field(form, 'reliability').selectOption('VERIFIED');
    await field(form, 'source').selectOption('DOCUMENT');
    await field(form, 'recordedOn').fill(itDay(2));
    await field(form, 'description').fill('Contratto di locazione visionato');
    await form.getByRole('button', { name: 'Registra' }).click();
    await expect.poll(() => field(form, 'recordedOn').getAttribute('aria-invalid')).toBe('true');
    expect(await errorOf(form, 'recordedOn')).toContain('futuro');
    expect(await focused()).toBe('recordedOn');
    expect(await field(form, 'domain').inputValue()).toBe('HOUSING');
    expect(await field(form, 'code').inputValue()).toBe(housing.code);
    expect(await field(form, 'reliability').inputValue()).toBe('VERIFIED');
    expect(await field(form, 'description').inputValue()).toBe('Contratto di locazione visionato');
    await axeClean(page, 'social data refused');
    await screenshot(page, 'case-sections-01-social-refused');

    await field(form, 'recordedOn').fill(itDay(-1));
    await field(form, 'recordedOn').press('Enter');
    await expect.poll(() => form.getByRole('status').textContent()).toContain('registrato');
    await reloadSignedIn();
    await expect
      .poll(() => panel().textContent())
      .toContain(
        `Condizione abitativa: ${housing.label} – Contratto di locazione visionato (Verificato`,
      );
    await screenshot(page, 'case-sections-02-social-saved');
    const stored = await section();
    expect(stored.data.caseFile.socialData).toContainEqual(
      expect.objectContaining({
        domain: 'HOUSING',
        code: housing.code,
        reliability: 'VERIFIED',
        description: 'Contratto di locazione visionato',
      }),
    );
  });

  it('should record an invalidity: a percentage over 100 refused at the field, nothing lost, shown after a reload', async () => {
    await page.getByRole('tab', { name: 'Invalidità' }).click();
    const form = page.getByTestId('section-form-invalidity');
    await form.waitFor();
    const cert = lists.invalidityCertification?.[1] as { code: string; label: string };
    await field(form, 'certification').selectOption(cert.code);
    await field(form, 'percentage').fill('150');
    await field(form, 'recognizedOn').fill('5/3/2024');
    await field(form, 'notes').fill('Verbale della commissione ASL');
    await field(form, 'recognizedOn').press('Enter');
    await expect.poll(() => field(form, 'percentage').getAttribute('aria-invalid')).toBe('true');
    expect(await focused()).toBe('percentage');
    expect(await field(form, 'certification').inputValue()).toBe(cert.code);
    expect(await field(form, 'recognizedOn').inputValue()).toBe('05/03/2024');
    expect(await field(form, 'notes').inputValue()).toBe('Verbale della commissione ASL');
    await axeClean(page, 'invalidity refused');
    await screenshot(page, 'case-sections-03-invalidity-refused');

    await field(form, 'percentage').fill('100');
    await field(form, 'percentage').press('Enter');
    await expect.poll(() => form.getByRole('status').textContent()).toContain('registrato');
    await reloadSignedIn();
    await expect.poll(() => panel().textContent()).toContain(`${cert.label} – 100%`);
    await screenshot(page, 'case-sections-04-invalidity-saved');
    const stored = await section();
    expect(stored.data.caseFile.invalidities).toContainEqual({
      certification: cert.code,
      percentage: 100,
      recognizedOn: '2024-03-05',
    });
  });

  it('should record a disability: a date that does not exist refused at the field, nothing lost, shown after a reload', async () => {
    await page.getByRole('tab', { name: 'Disabilità' }).click();
    const form = page.getByTestId('section-form-disability');
    await form.waitFor();
    const type = lists.disabilityType?.find((c) => c.code === '3') as {
      code: string;
      label: string;
    };
    await field(form, 'disabilityType').selectOption(type.code);
    await field(form, 'recognizedOn').fill('31/02/2024');
    // The box from the keyboard (the kit draws its own box over the input).
    await field(form, 'law104Severe').focus();
    await page.keyboard.press('Space');
    await field(form, 'description').fill('Ipoacusia bilaterale');
    await form.getByRole('button', { name: 'Registra' }).click();
    await expect.poll(() => field(form, 'recognizedOn').getAttribute('aria-invalid')).toBe('true');
    expect(await errorOf(form, 'recognizedOn')).toContain('gg/mm/aaaa');
    expect(await focused()).toBe('recognizedOn');
    expect(await field(form, 'disabilityType').inputValue()).toBe(type.code);
    expect(await field(form, 'description').inputValue()).toBe('Ipoacusia bilaterale');
    expect(await field(form, 'law104Severe').isChecked()).toBe(true);
    await axeClean(page, 'disability refused');
    await screenshot(page, 'case-sections-05-disability-refused');

    await field(form, 'recognizedOn').fill('28/02/2024');
    await form.getByRole('button', { name: 'Registra' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('registrato');
    await reloadSignedIn();
    await expect
      .poll(() => panel().textContent())
      .toContain(
        `${type.label} – Situazione di gravità (L. 104/1992, art. 3, comma 3) – Ipoacusia bilaterale`,
      );
    await screenshot(page, 'case-sections-06-disability-saved');
    const stored = await section();
    expect(stored.data.caseFile.disabilities).toContainEqual({
      disabilityType: type.code,
      description: 'Ipoacusia bilaterale',
      law104Severe: true,
    });
  });
});

describe('every page', () => {
  it('should have met no CSP violation and no script error', () => {
    expect(problems).toEqual([]);
  });
});
