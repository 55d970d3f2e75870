/**
 * A regional health registry (anagrafe sanitaria / assistiti), as the case file uses it: find the
 * person by codice fiscale or personal data, then read the health profile (ASL of assistance,
 * assigned doctor, exemptions). Piemonte's AURA (aura-client.ts) is the one region whose
 * interface is public; another region implements this same interface.
 *
 * Everything here is health data: the caller stores it masked, as any health data.
 */
export type HealthRegistryQuery =
  | { taxCode: string }
  | { lastName: string; firstName: string; birthDate: string };

export type HealthRegistryCallContext = { operatorId: string; reason: string };

export type HealthSource = { counterpart: string; service: string; retrievedAt: string };

export type HealthRegistryPerson = {
  /** The registry's own id of the person (AURA's idProfiloAnagrafico). */
  registryId: string;
  taxCode: string | null;
  lastName: string | null;
  firstName: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  deathDate: string | null;
};

export type HealthProfile = {
  registryId: string;
  taxCode: string | null;
  /** The ASL the person is assisted by. */
  asl: string | null;
  assistedSince: string | null;
  doctor: {
    taxCode: string | null;
    regionalCode: string | null;
    lastName: string | null;
    firstName: string | null;
    since: string | null;
    until: string | null;
  } | null;
  exemptions: {
    code: string;
    description: string | null;
    from: string | null;
    to: string | null;
  }[];
  source: HealthSource;
};

export interface HealthRegistry {
  /** Which registry: `piemonte-aura`, … */
  readonly registry: string;
  findPersons(
    q: HealthRegistryQuery,
    ctx: HealthRegistryCallContext,
  ): Promise<HealthRegistryPerson[]>;
  healthProfile(registryId: string, ctx: HealthRegistryCallContext): Promise<HealthProfile>;
}
