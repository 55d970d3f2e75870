import type { Session } from '../api/session.svelte.ts';
import { it } from '../i18n/it.ts';

export type ModuleLink = { path: string; label: string };
export type Module = {
  key: 'front-desk' | 'case-file' | 'deliveries' | 'cruscotti' | 'explorer';
  path: string;
  title: string;
  links: ModuleLink[];
  intro?: string;
};

// The roles the API lets into each module (casework intake.access.ts, case-file.access.ts): the
// menu shows no door the API would close.
const INTAKE_ROLES = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR'];
const CASE_ROLES = ['SOCIAL_WORKER', 'COORDINATOR'];
// deliveries.access.ts: READ and VERIFY are the administrative staff's and the coordinators'.
const DELIVERIES_ROLES = ['ADMIN_STAFF', 'COORDINATOR'];
// The cube API lets in managers and planners only (gateway/src/cubes/cube-viewer.ts).
const CUBE_ROLES = ['MANAGER', 'PLANNER'];

export function modulesFor(session: Session): Module[] {
  const modules: Module[] = [];
  if (session.hasRole(...INTAKE_ROLES))
    modules.push({
      key: 'front-desk',
      path: '/accesso',
      title: it.modules.frontDesk,
      links: [
        { path: '/accesso/ricerca', label: it.intake.nav.search },
        { path: '/accesso/nuova', label: it.intake.nav.create },
        { path: '/accesso/schede', label: it.intake.nav.list },
      ],
    });
  if (session.hasRole(...CASE_ROLES))
    modules.push({
      key: 'case-file',
      path: '/cartella',
      title: it.modules.caseFile,
      links: [
        { path: '/cartella/proposte', label: it.cases.nav.inbox },
        { path: '/cartella/casi', label: it.cases.nav.list },
        { path: '/cartella/segnalazioni', label: it.cases.referralsInNav },
      ],
    });
  if (session.hasRole(...DELIVERIES_ROLES))
    modules.push({
      key: 'deliveries',
      path: '/erogazioni',
      title: it.modules.deliveries,
      links: [
        { path: '/erogazioni/interventi', label: it.deliveries.nav.interventions },
        { path: '/erogazioni/verifica', label: it.deliveries.nav.verification },
        { path: '/erogazioni/siuss', label: it.deliveries.nav.siuss },
        { path: '/erogazioni/tariffe', label: it.deliveries.nav.tariffs },
        { path: '/erogazioni/progetti', label: it.deliveries.nav.projects },
      ],
    });
  if (session.hasRole(...CUBE_ROLES))
    modules.push(
      {
        key: 'cruscotti',
        path: '/cruscotto',
        title: it.cruscotti.module,
        intro: it.cruscotti.intro,
        links: [{ path: '/cruscotto', label: it.cruscotti.nav.dashboard }],
      },
      {
        key: 'explorer',
        path: '/esplora',
        title: it.explorer.module,
        intro: it.explorer.intro,
        links: [{ path: '/esplora', label: it.explorer.nav.explorer }],
      },
    );
  return modules;
}
