// The counterparts as casework uses them. Casework does not depend on @hub/connectors: these
// are the shapes of its clients, matched structurally, and the gateway passes the real ones
// (or none, when a counterpart is not configured).
import type { SyncRunRecord } from './sync-run.store.ts';

/** Who asks and why: ANPR demands the reason, the ModI tracking evidence the operator and seat. */
export type CounterpartCallContext = { operatorId: string; workstation: string; reason: string };

/** Where a registry value came from (@hub/connectors' FieldSource). */
export type RegistrySource = {
  counterpart: string;
  service: string;
  anprOperationId: string | null;
  retrievedAt: string;
};
type Sourced<T> = { value: T; source: RegistrySource };

/** The person as ANPR gives it, each field with its source (@hub/connectors' AnprPerson). */
export type AnprPersonAnswer = {
  taxCode?: Sourced<string>;
  idAnpr?: Sourced<string>;
  lastName?: Sourced<string>;
  firstName?: Sourced<string>;
  sex?: Sourced<'M' | 'F'>;
  birthDate?: Sourced<string>;
  birthPlaceIstat?: Sourced<string>;
  residence?: Sourced<{
    municipalityIstat: string | null;
    municipalityName: string | null;
    province: string | null;
    postcode: string | null;
    address: string | null;
    since: string | null;
  }>;
  deathDate?: Sourced<string>;
};

/** A member of the person's family as ANPR's C021 gives it (@hub/connectors' AnprFamilyMember). */
export type AnprFamilyMemberAnswer = {
  taxCode: string | null;
  idAnpr: string | null;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  /** ANPR's codiceLegame (the relation to the head of the family) and its description. */
  relationCode: string | null;
  relation: string | null;
};

export type HealthRegistryPersonAnswer = { registryId: string; taxCode: string | null };

/** The health profile (@hub/connectors' HealthProfile): health data, never at a masking desk. */
export type HealthProfile = {
  registryId: string;
  taxCode: string | null;
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
  source: { counterpart: string; service: string; retrievedAt: string };
};

export type IseeIndicatorAnswer = {
  type: string;
  isee: number;
  ise: number;
  dsuProtocol: string;
  presentedOn: string;
  source: { counterpart: 'INPS'; service: string; requestId: number; retrievedAt: string };
};

export const INPS_ISEE_INDICATORS = [
  'Ordinario',
  'Minorenne',
  'Universitario',
  'SocioSanitario',
  'Residenziale',
] as const;
export type InpsIseeIndicatorType = (typeof INPS_ISEE_INDICATORS)[number];

export type Counterparts = {
  /** ANPR's C020 (residence and personal data) of one codice fiscale. */
  anpr: {
    person(taxCode: string, ctx: CounterpartCallContext): Promise<AnprPersonAnswer>;
    /** ANPR's C021 (the family) of one codice fiscale, with ANPR's id of the operation. */
    family(
      taxCode: string,
      ctx: CounterpartCallContext,
    ): Promise<{ members: AnprFamilyMemberAnswer[]; operationId: string | null }>;
  } | null;
  healthRegistry: {
    /** Which regional registry: `piemonte-aura`, … */
    readonly registry: string;
    findPersons(
      q: { taxCode: string },
      ctx: { operatorId: string; reason: string },
    ): Promise<HealthRegistryPersonAnswer[]>;
    healthProfile(
      registryId: string,
      ctx: { operatorId: string; reason: string },
    ): Promise<HealthProfile>;
  } | null;
  /**
   * The registry synchronisation jobs of the connectors' scheduler (@hub/connectors'
   * createSyncScheduler), for the administrator's "sincronizza ora": the run is recorded in the
   * store's run history as a scheduled one is. Absent or null: no schedules running.
   */
  registrySync?: {
    readonly jobs: readonly string[];
    runNow(job: string): Promise<SyncRunRecord>;
  } | null;
  isee: {
    indicator(
      taxCode: string,
      type: InpsIseeIndicatorType,
      ctx: { operatorId: string; reason: string },
    ): Promise<IseeIndicatorAnswer>;
  } | null;
};

export const NO_COUNTERPARTS: Counterparts = { anpr: null, healthRegistry: null, isee: null };
