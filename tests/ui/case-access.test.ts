import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, screenshot, startUiHub, type UiHub } from './ui-harness.ts';
import { apiOf, axeClean } from './ui-test-kit.ts';

// Issue 11: the operators enabled on a case file (the owning office's coordinator enables and
// disables them, with undo) and sending an intake record to another desk of the organisation, in
// Debian's Chromium against a real hub with the demo region, checked against the API's state.

let ui: UiHub;
let browser: Browser;
const problems: string[] = [];
const { gql, tokenOf } = apiOf(() => ui.url);

beforeAll(async () => {
  ui = await startUiHub();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('the coordinator of the owning office', () => {
  let page: Page;
  let coord: string;
  let caseFileId: string;
  let picked = '';
  const operatorsOn = async () =>
    (
      (
        await gql(
          'query($id: UUID!) { caseFile(id: $id) { operators { fullName disabledAt } } }',
          { id: caseFileId },
          coord,
        )
      ).data.caseFile.operators as { fullName: string; disabledAt: string | null }[]
    )
      .filter((o) => !o.disabledAt)
      .map((o) => o.fullName);

  beforeAll(async () => {
    coord = await tokenOf('coord.perugia');
    // A case of the coordinator's office; the coordinator reads a case file only when enabled on
    // it, so she first puts herself on its list (through the API, as the operators tab would).
    const me = await gql('query { me { memberships { officeId role } } }', {}, coord);
    const officeId = me.data.me.memberships.find((m: { role: string }) => m.role === 'COORDINATOR')
      .officeId as string;
    const office = await gql(
      'query($o: UUID!) { officeCaseFiles(officeId: $o, status: IN_CARE, limit: 5) { id } }',
      { o: officeId },
      coord,
    );
    expect(office.errors).toBeUndefined();
    caseFileId = office.data.officeCaseFiles[0]?.id;
    expect(caseFileId, 'a case file in care at the coordinator’s office').toBeTruthy();
    const candidates = await gql(
      'query($id: UUID!) { caseOperatorCandidates(caseFileId: $id) { operatorId fullName enabled } }',
      { id: caseFileId },
      coord,
    );
    const self = (
      candidates.data.caseOperatorCandidates as {
        operatorId: string;
        fullName: string;
        enabled: boolean;
      }[]
    ).find((c) => c.fullName === 'Laura Cavalieri');
    if (!self?.enabled) {
      const enabled = await gql(
        'mutation($c: UUID!, $o: UUID!) { enableCaseOperator(caseFileId: $c, input: { operatorId: $o, operatorType: OTHER }) { id } }',
        { c: caseFileId, o: self?.operatorId },
        coord,
      );
      expect(enabled.errors).toBeUndefined();
    }
    // Davide Bartolini (as2.perugia) starts off the case, so that there is someone to enable.
    const ops = await gql(
      'query($id: UUID!) { caseFile(id: $id) { operators { operatorId fullName disabledAt } } }',
      { id: caseFileId },
      coord,
    );
    const davide = (
      ops.data.caseFile.operators as {
        operatorId: string;
        fullName: string;
        disabledAt: string | null;
      }[]
    ).find((o) => o.fullName === 'Davide Bartolini' && !o.disabledAt);
    if (davide)
      await gql(
        'mutation($c: UUID!, $o: UUID!) { disableCaseOperator(caseFileId: $c, operatorId: $o) { id } }',
        { c: caseFileId, o: davide.operatorId },
        coord,
      );
    page = await newPage(browser, problems);
    await login(page, ui.url, 'coord.perugia');
  });
  afterAll(() => page.context().close());

  it('should enable a social worker of the office on the case', async () => {
    await page.goto(`${ui.url}/#/cartella/casi/${caseFileId}?tab=operators`);
    const form = page.getByTestId('enable-operator');
    await form.waitFor();
    const select = form.locator('select[name="operatorId"]');
    // The first operator of the office not yet on the case, as the API offers them.
    const option = select.locator('option').first();
    picked = ((await option.textContent()) ?? '').split(' – ')[0] as string;
    expect(picked.length).toBeGreaterThan(3);
    await select.selectOption((await option.getAttribute('value')) as string);
    await axeClean(page, 'operators tab');
    await screenshot(page, 'case-access-01-operators');
    await form.getByRole('button', { name: 'Abilita l’operatore' }).click();
    await expect
      .poll(() => page.getByTestId('operators-notice').textContent())
      .toContain(`${picked} è abilitato sulla cartella`);
    await expect.poll(() => page.getByTestId('case-operators').textContent()).toContain(picked);
    expect(await operatorsOn()).toContain(picked);
  });

  it('should disable an operator after a confirmation, and undo it', async () => {
    await page.getByRole('button', { name: `Disabilita ${picked}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Disabilita' }).click();
    await expect
      .poll(() => page.getByTestId('operators-notice').textContent())
      .toContain('non è più abilitato');
    expect(await operatorsOn()).not.toContain(picked);
    expect(await page.getByTestId('case-operators').textContent()).not.toContain(picked);
    await axeClean(page, 'operator disabled');
    await screenshot(page, 'case-access-02-disabled-undo');
    // The undo button has the focus: Enter takes it back.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('undo-disable');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('operators-notice').textContent())
      .toContain('di nuovo abilitato');
    expect(await operatorsOn()).toContain(picked);
  });
});

describe('a social worker not coordinating the office', () => {
  it('should see the operators of the case without the controls to change them', async () => {
    const worker = await tokenOf('as.perugia');
    const mine = await gql('query { myCaseFiles(status: IN_CARE, limit: 1) { id } }', {}, worker);
    const id = mine.data.myCaseFiles[0].id as string;
    const refused = await gql(
      'query($id: UUID!) { caseOperatorCandidates(caseFileId: $id) { operatorId } }',
      { id },
      worker,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
    await page.goto(`${ui.url}/#/cartella/casi/${id}?tab=operators`);
    await page.getByTestId('case-operators').waitFor();
    expect(await page.getByTestId('enable-operator').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Disabilita/ }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('gestito dal coordinatore');
    await page.context().close();
  });
});

describe('a social worker writing the case file sections', () => {
  let page: Page;
  let worker: string;
  let id: string;
  const sections = async () =>
    (
      await gql(
        'query($id: UUID!) { caseFile(id: $id) { resources { name relationship caregiver } isee { iseeType iseeValue validTo } } }',
        { id },
        worker,
      )
    ).data.caseFile;

  beforeAll(async () => {
    worker = await tokenOf('as.perugia');
    id = (await gql('query { myCaseFiles(status: IN_CARE, limit: 1) { id } }', {}, worker)).data
      .myCaseFiles[0].id;
    page = await newPage(browser, problems);
    await login(page, ui.url, 'as.perugia');
  });
  afterAll(() => page.context().close());

  it('should add a family member to the network', async () => {
    await page.goto(`${ui.url}/#/cartella/casi/${id}?tab=resources`);
    const form = page.getByTestId('section-form-resources');
    await form.getByLabel('Relazione').fill('figlia');
    await form.getByLabel('Nome e cognome').fill('Marta Rossi');
    await form.getByText('Caregiver', { exact: true }).click();
    expect(await form.getByLabel('Caregiver').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Registra' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent())
      .toBe('Dato registrato nella cartella.');
    await expect
      .poll(() => page.locator('#panel-resources').textContent())
      .toContain('Marta Rossi – figlia (caregiver)');
    expect((await sections()).resources).toContainEqual({
      name: 'Marta Rossi',
      relationship: 'figlia',
      caregiver: true,
    });
    await axeClean(page, 'resources');
    await screenshot(page, 'case-access-05-resources');
  });

  it('should refuse an ISEE that expires before it starts, beside the field, and keep what was typed', async () => {
    await page.getByRole('tab', { name: 'ISEE' }).click();
    const form = page.getByTestId('section-form-isee');
    await form.getByLabel('Valore ISEE (€)').fill('12.345,67');
    await form.getByLabel('Valido dal').fill('01/06/2026');
    await form.getByLabel('Valido fino al').fill('31/01/2026');
    await form.getByRole('button', { name: 'Registra' }).click();
    const to = form.locator('input[name="validTo"]');
    await expect.poll(() => to.getAttribute('aria-invalid')).toBe('true');
    expect(await form.textContent()).toContain('la scadenza precede l’inizio di validità');
    expect(await form.getByLabel('Valore ISEE (€)').inputValue()).toBe('12.345,67');
    await axeClean(page, 'isee refused');
    await screenshot(page, 'case-access-06-isee-refused');
    await to.fill('31/12/2026');
    await form.getByRole('button', { name: 'Registra' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent())
      .toBe('Dato registrato nella cartella.');
    expect((await sections()).isee).toContainEqual({
      iseeType: 'ORDINARIO',
      iseeValue: 12345.67,
      validTo: '2026-12-31',
    });
    await expect
      .poll(() => page.locator('#panel-isee').textContent())
      .toContain('Ordinario: € 12.345,67');
  });
});

describe('the front desk', () => {
  it('should send a record to another desk of the organisation', async () => {
    const desk = await tokenOf('udc.perugia');
    const open = await gql(
      `query { intakeRecords(filter: { statuses: [OPEN] }, first: 50) { items { id number contactPointName } } }`,
      {},
      desk,
    );
    expect(open.errors).toBeUndefined();
    const record = (
      open.data.intakeRecords.items as { id: string; number: number; contactPointName: string }[]
    ).find((r) => !r.contactPointName.includes('immigrati'));
    expect(record, 'an open record of the demo').toBeTruthy();
    const targets = await gql('query { intakeSendTargets { id name } }', {}, desk);
    const immigrants = (targets.data.intakeSendTargets as { id: string; name: string }[]).find(
      (t) => t.name === 'Sportello immigrati – Perugia',
    );
    expect(immigrants).toBeTruthy();

    const page = await newPage(browser, problems);
    await login(page, ui.url, 'udc.perugia');
    await page.goto(`${ui.url}/#/accesso/schede/${record?.id}`);
    await page.getByTestId('send-to-desk').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Sportello di destinazione').selectOption(immigrants?.id as string);
    await dialog.getByLabel('Nota per lo sportello').fill('Serve la mediazione linguistica');
    await axeClean(page, 'send to desk');
    await screenshot(page, 'case-access-03-send-to-desk');
    await dialog.getByRole('button', { name: 'Invia a un altro sportello' }).click();
    await expect
      .poll(() => page.getByTestId('send-confirmation').textContent())
      .toBe('Scheda inviata a Sportello immigrati – Perugia.');
    await expect
      .poll(() => page.getByTestId('intake-status').textContent())
      .toBe('Inviata ad altro sportello');
    const after = await gql(
      'query($id: UUID!) { intakeRecord(id: $id) { status contactPointId transfers { note } } }',
      { id: record?.id },
      desk,
    );
    expect(after.data.intakeRecord).toMatchObject({
      status: 'SENT',
      contactPointId: immigrants?.id,
    });
    expect(after.data.intakeRecord.transfers.at(-1).note).toBe('Serve la mediazione linguistica');
    await screenshot(page, 'case-access-04-sent');
    await page.context().close();
  });
});

describe('every page', () => {
  it('should have met no CSP violation and no script error', () => {
    expect(problems).toEqual([]);
  });
});
