import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean, itOf, todayIso } from './ui-test-kit.ts';

// Issue 11, Erogazione interventi, setting up: the administrative clerk decides an intervention,
// adds a tariff and registers a project from the keyboard, in forms whose dates are gg/mm/aaaa.
// Each journey meets a refusal first (a date that does not exist, refused here; a rule of the
// API, named at its field) and checks nothing typed was lost; then saves, reloads the page and
// finds what was saved shown, and the store holding it.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);
let clerk: string;
let page: Page;

type Template = {
  serviceCode: string;
  providerId: string;
  unit: string;
  personId: string;
  beneficiary: { lastName: string; firstName: string | null };
};
/** An active intervention of the demo running today: its service, provider and beneficiary. */
let template: Template;

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
  clerk = await tokenOf('amm.perugia');
  const list = await gql(
    `query { interventions(filter: { status: ACTIVE, limit: 500 }) { items {
      serviceCode providerId unit personId startOn endOn maskedFields
      beneficiary { lastName firstName } } } }`,
    {},
    clerk,
  );
  expect(list.errors).toBeUndefined();
  const today = todayIso();
  const found = (
    list.data.interventions.items as (Template & {
      startOn: string;
      endOn: string | null;
      maskedFields: string[];
    })[]
  ).find(
    (i) =>
      i.startOn < today &&
      (!i.endOn || i.endOn > today) &&
      i.serviceCode &&
      i.beneficiary.lastName &&
      i.maskedFields.length === 0,
  );
  expect(found, 'an active intervention running today in the demo').toBeTruthy();
  template = found as Template;
  page = await newPage(browser, problems);
  await login(page, ui.url, 'amm.perugia');
}, 300_000);

afterAll(async () => {
  await page?.context().close();
  await browser?.close();
  await ui?.close();
});

const invalid = (form: ReturnType<Page['getByTestId']>, name: string) =>
  form.locator(`[name="${name}"]`).getAttribute('aria-invalid');
const errorOf = async (form: ReturnType<Page['getByTestId']>, name: string) =>
  form.locator(`#${await form.locator(`[name="${name}"]`).getAttribute('id')}-error`).textContent();
/**
 * A reload: the token lived in memory only, so the clerk signs in again and lands on the same
 * screen (the route is in the address), which reads what was saved from the API afresh.
 */
async function reloadSignedIn() {
  await page.reload();
  await page.getByLabel('Nome utente').fill('amm.perugia');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Accedi' }).click();
}
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name'));

describe('an administrative clerk', () => {
  it('should decide an intervention: the API’s refusal at the field, nothing lost, the saved one shown after a reload', async () => {
    await page.goto(`${ui.url}/#/erogazioni/interventi`);
    await page.getByRole('link', { name: 'Nuovo intervento' }).first().click();
    const form = page.getByTestId('intervention-form');
    await form.waitFor();
    // The provider list comes from the API: wait for it before choosing.
    await expect
      .poll(() => form.locator('select[name="providerId"] option').count())
      .toBeGreaterThan(1);
    await axeClean(page, 'new intervention');

    // The beneficiary: the surname, Enter searches (does not save), then the person.
    await form.getByLabel('Cognome del beneficiario').fill(template.beneficiary.lastName);
    await form.getByLabel('Cognome del beneficiario').press('Enter');
    await form.getByLabel('Beneficiario trovato').selectOption(template.personId);
    await form.locator('input[name="serviceCode"]').fill(template.serviceCode.toLowerCase());
    await form.locator('select[name="providerId"]').selectOption(template.providerId);
    await form.locator('select[name="unit"]').selectOption(template.unit);
    await form.locator('select[name="periodicity"]').selectOption('OCCASIONAL');
    // The keyboard from the start date on: gg/mm/aaaa typed, Tab to the end date.
    await form.locator('input[name="startOn"]').fill('');
    await form.locator('input[name="startOn"]').focus();
    await page.keyboard.type('31/02/2026');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('endOn');
    await form.locator('input[name="plannedQuantity"]').fill('10');
    // Means test ISEE and no ISEE typed: the API (no case file to take it from) refuses.
    await form.locator('select[name="meansTest"]').selectOption('M1');
    await form.locator('input[name="applicationProtocol"]').fill('PG/2026/UI-7');
    await form.locator('textarea[name="notes"]').fill('Deciso dallo sportello amministrativo');
    await form.locator('input[name="applicationProtocol"]').press('Enter');

    // A day that does not exist: said beside the start date, nothing sent.
    await expect.poll(() => invalid(form, 'startOn')).toBe('true');
    expect(await errorOf(form, 'startOn')).toContain('gg/mm/aaaa');
    expect(await focused()).toBe('startOn');

    await form.locator('input[name="startOn"]').fill(itOf(todayIso()));
    await form.locator('input[name="startOn"]').press('Enter');
    await expect.poll(() => invalid(form, 'isee.value')).toBe('true');
    expect(await errorOf(form, 'isee.value')).toContain('ISEE');
    expect(await focused()).toBe('isee.value');
    expect(await invalid(form, 'startOn')).toBeNull();
    // Nothing typed was lost.
    expect(await form.locator('input[name="serviceCode"]').inputValue()).toBe(
      template.serviceCode.toLowerCase(),
    );
    expect(await form.locator('select[name="personId"]').inputValue()).toBe(template.personId);
    expect(await form.locator('input[name="applicationProtocol"]').inputValue()).toBe(
      'PG/2026/UI-7',
    );
    expect(await form.locator('textarea[name="notes"]').inputValue()).toBe(
      'Deciso dallo sportello amministrativo',
    );
    expect(await form.locator('input[name="startOn"]').inputValue()).toBe(itOf(todayIso()));
    await axeClean(page, 'new intervention refused');
    await screenshot(page, 'deliveries-setup-01-intervention-refused');

    await page.keyboard.type('8.500,00');
    await page.keyboard.press('Tab');
    await page.keyboard.type('INPS-ISEE-2026-00000007U-01');
    await page.keyboard.press('Tab');
    await page.keyboard.type('3/1/2026');
    await page.keyboard.press('Enter');
    await page.getByTestId('intervention-title').waitFor();
    expect(await page.getByTestId('confirmation').textContent()).toContain('Intervento registrato');
    const id = page.url().split('/').pop() as string;

    await reloadSignedIn();
    const details = page.getByTestId('intervention-details');
    await details.waitFor();
    expect(await page.getByTestId('intervention-title').textContent()).toContain(
      template.beneficiary.lastName,
    );
    const text = await details.textContent();
    expect(text).toContain('PG/2026/UI-7');
    expect(text).toContain('Deciso dallo sportello amministrativo');
    expect(text).toContain(template.serviceCode);
    // it-IT groups thousands from five digits on: "8500,00".
    expect(await page.getByTestId('intervention-isee').textContent()).toMatch(
      /^€ 8\.?500,00 \(INPS-ISEE-2026-00000007U-01, 03\/01\/2026\)$/,
    );
    await screenshot(page, 'deliveries-setup-02-intervention-saved');
    const stored = await gql(
      'query($id: UUID!) { intervention(id: $id) { personId startOn plannedQuantity meansTest applicationProtocol isee { value dsuOn } } }',
      { id },
      clerk,
    );
    expect(stored.data.intervention).toEqual({
      personId: template.personId,
      startOn: todayIso(),
      plannedQuantity: 10,
      meansTest: 'M1',
      applicationProtocol: 'PG/2026/UI-7',
      isee: { value: 8500, dsuOn: '2026-01-03' },
    });
  });

  it('should add a tariff: an overlap refused at its start date, nothing lost, the new version listed after a reload', async () => {
    const all = await gql(
      'query { tariffs { id providerId serviceCode unit unitCost validFrom validTo } }',
      {},
      clerk,
    );
    type T = {
      id: string;
      providerId: string;
      serviceCode: string;
      unit: string;
      validFrom: string;
      validTo: string | null;
    };
    const open = (all.data.tariffs as T[]).find(
      (x) => x.validTo === null && x.validFrom < todayIso(),
    );
    expect(open, 'an open tariff in the demo').toBeTruthy();
    const base = open as T;
    await page.goto(`${ui.url}/#/erogazioni/tariffe`);
    const form = page.getByTestId('tariff-form');
    await expect
      .poll(() => form.locator('select[name="providerId"] option').count())
      .toBeGreaterThan(1);
    await expect
      .poll(() => page.getByTestId('tariff-list').locator('tbody tr').count())
      .toBe(all.data.tariffs.length);
    await axeClean(page, 'tariffs');

    await form.locator('select[name="providerId"]').selectOption(base.providerId);
    await form.locator('input[name="serviceCode"]').fill(base.serviceCode);
    await form.locator('select[name="unit"]').selectOption(base.unit);
    await form.locator('input[name="unitCost"]').fill('23,75');
    // The same start as the version in force: refused by the API, named at the start date.
    await form.locator('input[name="validFrom"]').fill(itOf(base.validFrom));
    await form.locator('input[name="validFrom"]').press('Enter');
    await expect.poll(() => invalid(form, 'validFrom')).toBe('true');
    expect(await errorOf(form, 'validFrom')).toContain('esiste già una tariffa');
    expect(await focused()).toBe('validFrom');
    expect(await form.locator('input[name="unitCost"]').inputValue()).toBe('23,75');
    expect(await form.locator('input[name="serviceCode"]').inputValue()).toBe(base.serviceCode);
    await axeClean(page, 'tariff refused');
    await screenshot(page, 'deliveries-setup-03-tariff-refused');

    await form.locator('input[name="validFrom"]').fill(itOf(todayIso()));
    await form.locator('input[name="validFrom"]').press('Enter');
    await expect
      .poll(() => page.getByTestId('tariff-confirmation').textContent())
      .toContain(`in vigore dal ${itOf(todayIso())}`);

    await reloadSignedIn();
    const row = page
      .getByTestId('tariff-list')
      .locator('tbody tr')
      .filter({ hasText: base.serviceCode })
      .filter({ hasText: '23,75' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(itOf(todayIso()));
    await screenshot(page, 'deliveries-setup-04-tariff-saved');
    const after = await gql(
      'query($p: UUID) { tariffs(providerId: $p) { id serviceCode unit unitCost validFrom validTo } }',
      { p: base.providerId },
      clerk,
    );
    const versions = (after.data.tariffs as (T & { unitCost: number })[]).filter(
      (x) => x.serviceCode === base.serviceCode && x.unit === base.unit,
    );
    // The open version closes where the new one starts.
    expect(versions.find((x) => x.id === base.id)?.validTo).toBe(todayIso());
    expect(versions).toContainEqual(
      expect.objectContaining({ unitCost: 23.75, validFrom: todayIso(), validTo: null }),
    );
  });

  it('should register a project: a code in use refused at the code, nothing lost, the project listed after a reload', async () => {
    const before = await gql(
      'query { projects { code } fundingSources { code label } }',
      {},
      clerk,
    );
    const used = before.data.projects[0]?.code as string;
    expect(used, 'a project in the demo').toBeTruthy();
    const source = before.data.fundingSources[0] as { code: string; label: string };
    await page.goto(`${ui.url}/#/erogazioni/progetti`);
    const form = page.getByTestId('project-form');
    await expect
      .poll(() => form.locator('select[name="fundingSourceCode"] option').count())
      .toBeGreaterThan(1);
    await axeClean(page, 'projects');

    // The keyboard only, from the code: Tab through the fields in reading order.
    await form.locator('input[name="code"]').focus();
    await page.keyboard.type(used);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Dopo di noi – percorsi di autonomia');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('fundingSourceCode');
    await form.locator('select[name="fundingSourceCode"]').selectOption(source.code);
    await page.keyboard.press('Tab');
    await page.keyboard.type('12.500,00');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('01/01/2026');
    await page.keyboard.press('Tab');
    await page.keyboard.type('31/12/2026');
    await page.keyboard.press('Enter');
    await expect.poll(() => invalid(form, 'code')).toBe('true');
    expect(await errorOf(form, 'code')).toContain(`esiste già un progetto ${used}`);
    expect(await focused()).toBe('code');
    expect(await form.locator('input[name="title"]').inputValue()).toBe(
      'Dopo di noi – percorsi di autonomia',
    );
    expect(await form.locator('input[name="budget"]').inputValue()).toBe('12.500,00');
    expect(await form.locator('input[name="endOn"]').inputValue()).toBe('31/12/2026');
    await axeClean(page, 'project refused');
    await screenshot(page, 'deliveries-setup-05-project-refused');

    await form.locator('input[name="code"]').fill('DDN-UI-2026');
    await form.locator('input[name="code"]').press('Enter');
    await expect
      .poll(() => page.getByTestId('project-confirmation').textContent())
      .toContain('Progetto DDN-UI-2026 registrato');

    await reloadSignedIn();
    const row = page.locator('[data-testid="project-list"] tr[data-project="DDN-UI-2026"]');
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('Dopo di noi – percorsi di autonomia');
    expect(text).toContain(source.label);
    expect(text).toContain('01/01/2026 – 31/12/2026');
    expect(text).toContain('12.500,00');
    await screenshot(page, 'deliveries-setup-06-project-saved');
    const after = await gql(
      'query { projects { code budget startOn endOn fundingSourceCode } }',
      {},
      clerk,
    );
    expect(after.data.projects).toContainEqual({
      code: 'DDN-UI-2026',
      budget: 12500,
      startOn: '2026-01-01',
      endOn: '2026-12-31',
      fundingSourceCode: source.code,
    });
  });
});

describe('every page', () => {
  it('should have met no CSP violation and no script error', () => {
    expect(problems).toEqual([]);
  });
});
