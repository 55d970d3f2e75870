import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  login,
  newPage,
  screenshot,
  seriousViolations,
  startUiHub,
  type UiHub,
} from './ui-harness.ts';

// The session expires while a form is being filled: the page asks for the password over the
// form, which keeps what was typed, and the work goes on. Tokens here live 6 seconds.

let ui: UiHub;
let browser: Browser;

beforeAll(async () => {
  ui = await startUiHub({ TOKEN_TTL_SECONDS: '6' });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('an expired session', () => {
  it('should ask for the password over the page and lose nothing typed', async () => {
    const problems: string[] = [];
    const page = await newPage(browser, problems);
    await login(page, ui.url, 'udc.perugia');
    await page.goto(`${ui.url}/#/accesso/nuova`);
    await page.getByLabel('Sintesi del colloquio').fill('Colloquio lungo: non va perso.');
    const dialog = page.getByRole('dialog', { name: 'Sessione scaduta' });
    await dialog.waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '20-session-expired');
    await dialog.getByLabel('Password').fill('demo');
    await dialog.getByRole('button', { name: 'Riprendi il lavoro' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 5000 }).catch(async (e) => {
      await screenshot(page, 'failed-resume');
      throw e;
    });
    expect(await page.getByLabel('Sintesi del colloquio').inputValue()).toBe(
      'Colloquio lungo: non va perso.',
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('should forget the session at logout and show the login page', async () => {
    const page = await newPage(browser, []);
    await login(page, ui.url, 'as.perugia');
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.getByRole('heading', { name: 'Accesso operatori' }).waitFor();
    // Nothing of the session is left in the browser's storage.
    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    expect(stored).toBe(0);
    await page.context().close();
  });
});
