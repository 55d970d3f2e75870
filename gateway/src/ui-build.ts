import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_UI_DIR } from './config.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm start` on a fresh clone: builds the web application when its build is missing, so that
 * `npm install && npm start` stay the only two commands. A UI_DIR of one's own is left alone.
 */
export function ensureUiBuilt(uiDir: string | null, log: (line: string) => void): void {
  if (uiDir !== DEFAULT_UI_DIR || existsSync(join(uiDir, 'index.html'))) return;
  log('interfaccia web non compilata: la compilo ora (una volta sola, qualche secondo)…');
  const run = spawnSync('npm', ['run', 'build', '--workspace', '@hub/dashboards'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0)
    log(
      "compilazione dell'interfaccia non riuscita: l'API funziona, la pagina / rimanda a GraphiQL",
    );
}
