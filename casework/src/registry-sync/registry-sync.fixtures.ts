// Test helpers for the registry-sync suites (not exported from the package): a person with a
// codice fiscale and an open case file, and the C001 changes ANPR notifies about them.
import {
  type CaseWorld,
  createCaseWorld,
  newPerson,
  openedCase,
} from '../case-file/case-file.fixtures.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import {
  createRegistryNotificationStore,
  type RegistryChange,
} from './registry-notification.store.ts';

export type NotifiedWorld = {
  w: CaseWorld;
  taxCode: string;
  personId: string;
  /** Opened by `w.actors.worker`, the one operator enabled on it. */
  caseFileId: string;
  /** Processes changes as the C001 puller does, in order; returns whether each was new. */
  notify: (...changes: RegistryChange[]) => Promise<boolean[]>;
};

/** A fresh case world with one person (the name gives the codice fiscale) and their case file. */
export async function createNotifiedWorld(name: {
  firstName: string;
  lastName: string;
  birthDate: string;
}): Promise<NotifiedWorld> {
  const w = await createCaseWorld();
  const taxCode = computeTaxCode({ ...name, sex: 'F', birthPlaceCode: 'G478' });
  const personId = await newPerson(w.db, w, { taxCode });
  const { caseFileId } = await openedCase(w, { personId });
  const store = createRegistryNotificationStore(w.db);
  const notify = async (...changes: RegistryChange[]) => {
    const seen: boolean[] = [];
    for (const c of changes) seen.push(await store.processOnce(c, async () => undefined));
    return seen;
  };
  return { w, taxCode, personId, caseFileId, notify };
}

/** A move to Corciano as ANPR notifies it (the address defaults to one named after the id). */
export const residenceChange = (
  taxCode: string,
  id: string,
  eventDate: string,
  options: { kind?: RegistryChange['kind']; address?: string } = {},
): RegistryChange => ({
  id,
  kind: options.kind ?? 'CAMBIO_RESIDENZA',
  eventDate,
  person: {
    taxCode: { value: taxCode },
    residence: {
      value: {
        municipalityIstat: '054012',
        municipalityName: 'CORCIANO',
        address: options.address ?? `VIA ${id} 1`,
        postcode: '06073',
        since: eventDate,
      },
    },
  },
});

/** A death as ANPR notifies it: no residence, only the subject and the date. */
export const deathOf = (taxCode: string, id: string, eventDate: string): RegistryChange => ({
  id,
  kind: 'DECESSO',
  eventDate,
  person: { taxCode: { value: taxCode } },
});
