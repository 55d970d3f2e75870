import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Hub, readConfig, serveGateway, startHub } from '@hub/gateway';
import { type Browser, chromium, type Page } from 'playwright-core';

// A real hub (PGlite, the demo region) serving the freshly built web application, and Debian's
// Chromium driven headless by playwright-core: the browser tests and the UI bench share it.

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const OUTPUT_DIR = join(REPO_ROOT, 'tests/test-output/ui');
const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Builds the UI once per process into a folder of its own: the tests run against what
 * `npm start` would serve, and test files running side by side never empty each other's build.
 */
let built: string | null = null;
export function buildUi(): string {
  if (built) return built;
  const outDir = mkdtempSync(join(tmpdir(), 'hub-ui-dist-'));
  execFileSync(
    'npm',
    ['run', 'build', '--workspace', '@hub/dashboards', '--', '--outDir', outDir, '--emptyOutDir'],
    { cwd: REPO_ROOT, stdio: 'pipe' },
  );
  built = outDir;
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  return outDir;
}

export type UiHub = { hub: Hub; url: string; close(): Promise<void> };

export async function startUiHub(env: Record<string, string> = {}): Promise<UiHub> {
  const uiDir = buildUi();
  const dir = await mkdtemp(join(tmpdir(), 'hub-ui-'));
  const config = readConfig(
    {
      DATA_DIR: dir,
      DEMO_PERSONS: '300',
      DEMO_INTAKE_PER_THOUSAND: '1',
      NODE_ENV: 'test',
      UI_DIR: uiDir,
      ...env,
    },
    dir,
  );
  const hub = await startHub(config);
  const server = serveGateway(hub.app, { port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((ok) => server.once('listening', () => ok()));
  const { port } = server.address() as AddressInfo;
  return {
    hub,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** A fresh page that fails the test on any CSP violation or uncaught error. */
export async function newPage(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({
    locale: 'it-IT',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  return page;
}

export async function login(page: Page, url: string, username: string, password = 'demo') {
  await page.goto(`${url}/`);
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('heading', { level: 1, name: /Buongiorno/ }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
};

let axeSource: string | undefined;

/** axe-core's WCAG 2.1 A/AA rules on the page; the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') allows;
  // a <script> tag with axe's source would be refused, as it should be.
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
