import { z } from 'zod';
import { SINBA_CODE_LISTS } from '../assessment/siuss-schema.ts';

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const text = (max: number) =>
  z.string().trim().min(1, 'campo obbligatorio').max(max, `al massimo ${max} caratteri`);
const optText = (max: number) => text(max).nullish();
const codes = (list: readonly { code: string }[]) =>
  list.map((c) => c.code) as [string, ...string[]];

export const GOAL_TERMS = ['SHORT', 'MEDIUM', 'LONG'] as const;
/** SISO PaiPTIMotivoRevisioneEnum: elaborazione, valutazione, verifica, rivalutazione. */
export const REVIEW_PURPOSES = ['ELAB', 'VALU', 'VERI', 'RIVAL'] as const;
export const REVIEW_OUTCOMES = [
  'ON_TRACK',
  'PARTIALLY_ACHIEVED',
  'NOT_ACHIEVED',
  'PLAN_CHANGED',
  'GOALS_ACHIEVED',
] as const;
/** SISO PaiAffidoStatoEnum. */
export const FOSTER_CARE_STATUSES = [
  { code: 10, name: 'VALUTAZIONE_CASO', label: 'Valutazione caso' },
  { code: 20, name: 'RICERCA_FAMIGLIA', label: 'Ricerca famiglia' },
  { code: 30, name: 'VALUTAZIONE', label: 'Valutazione' },
  { code: 40, name: 'FAMIGLIA_INDIVIDUATA', label: 'Famiglia individuata' },
  { code: 50, name: 'AFFIDO_ATTIVO', label: 'Affidamento avviato' },
  { code: 60, name: 'AFFIDO_CHIUSO', label: 'Termine Affido' },
  { code: 70, name: 'ANNULLAMENTO_PROGETTO_AFFIDO', label: 'Annullamento progetto affido' },
] as const;
/** SISO PaiPTIFaseEnum (residential placement of minors). */
export const PLACEMENT_PHASES = [
  { code: 1, name: 'INS', label: 'Inserito' },
  { code: 2, name: 'INS_STRUTT', label: 'Inserito da struttura' },
  { code: 3, name: 'RICH_DISP', label: 'Richiesta disponibilità' },
  { code: 4, name: 'STRUTT_OK', label: 'Struttura OK' },
  { code: 5, name: 'EROG_OK', label: 'Erogazione OK' },
  { code: 6, name: 'CHIUSA_OK', label: 'Chiusa OK' },
] as const;

export const goalInput = z.object({ term: z.enum(GOAL_TERMS), description: text(4000) }).strict();
export const interventionInput = z
  .object({
    description: text(4000),
    serviceCode: optText(32),
    frequency: optText(200),
    provider: optText(200),
    responsibleOperatorId: z.uuid().nullish(),
    startOn: isoDate.nullish(),
    endOn: isoDate.nullish(),
  })
  .strict();
export const reviewInput = z
  .object({ dueOn: isoDate, purpose: z.enum(REVIEW_PURPOSES).default('VERI') })
  .strict();
export const agreementInput = z
  .object({
    agreedBy: z.enum(['PERSON', 'REPRESENTATIVE']),
    agreedOn: isoDate,
    representativeName: optText(200),
  })
  .strict()
  .refine((a) => a.agreedBy !== 'REPRESENTATIVE' || !!a.representativeName, {
    message: 'indicare il nome del rappresentante',
    path: ['representativeName'],
  });

export const createCarePlanInput = z
  .object({
    title: text(200),
    startOn: isoDate,
    endOn: isoDate.nullish(),
    responsibleOperatorId: z.uuid().nullish(),
    goals: z.array(goalInput).min(1, 'almeno un obiettivo').max(50),
    interventions: z.array(interventionInput).max(50).default([]),
    reviews: z.array(reviewInput).max(50).default([]),
    agreement: agreementInput.nullish(),
  })
  .strict();
export type CreateCarePlanInput = z.input<typeof createCarePlanInput>;
export type AgreementInput = z.input<typeof agreementInput>;
export type ReviewInput = z.input<typeof reviewInput>;

export const completeReviewInput = z
  .object({
    doneOn: isoDate,
    outcome: z.enum(REVIEW_OUTCOMES),
    note: optText(4000),
    /** Goals assessed at this review: achieved or not, with a note. */
    goals: z
      .array(z.object({ goalId: z.uuid(), achieved: z.boolean(), note: optText(2000) }).strict())
      .max(50)
      .default([]),
    /** The next review, if one is planned. */
    nextReview: reviewInput.nullish(),
  })
  .strict();
export type CompleteReviewInput = z.input<typeof completeReviewInput>;

export const closeCarePlanInput = z.object({ closedOn: isoDate, reason: text(2000) }).strict();

export const fosterCareInput = z
  .object({
    status: z
      .number()
      .int()
      .refine(
        (c) => FOSTER_CARE_STATUSES.some((s) => s.code === c),
        'stato PaiAffidoStatoEnum (10, 20 … 70)',
      ),
    form: z.enum(codes(SINBA_CODE_LISTS.FormaInterventoAffidoType)).nullish(),
    kind: z.enum(codes(SINBA_CODE_LISTS.TipoInterventoAffidoType)).nullish(),
    duration: z.enum(codes(SINBA_CODE_LISTS.DurataAffidoType)).nullish(),
    character: z.enum(codes(SINBA_CODE_LISTS.CarattereAffidoType)).nullish(),
    fosterFamily: optText(200),
    startedOn: isoDate.nullish(),
    endedOn: isoDate.nullish(),
    outcome: z.enum(codes(SINBA_CODE_LISTS.EsitoAffidoType)).nullish(),
  })
  .strict();
export type FosterCareInput = z.input<typeof fosterCareInput>;

export const placementInput = z
  .object({
    carePlanId: z.uuid().nullish(),
    facilityName: text(200),
    facilityCharacter: z
      .enum(codes(SINBA_CODE_LISTS.CarattereInserimentoResidenzialeType))
      .nullish(),
    form: z.enum(codes(SINBA_CODE_LISTS.FormaInserimentoResidenzialeType)).nullish(),
    withParent: z.enum(codes(SINBA_CODE_LISTS.TipoInserimentoResidenzialeType)).nullish(),
    phase: z.number().int().min(1).max(6).default(1),
    admissionOn: isoDate,
    expectedDischargeOn: isoDate.nullish(),
    notes: optText(4000),
  })
  .strict();
export type PlacementInput = z.input<typeof placementInput>;

export const dischargeInput = z
  .object({
    dischargeOn: isoDate,
    outcome: z.enum(codes(SINBA_CODE_LISTS.EsitoInserimentoStrutturaType)),
    notes: optText(4000),
  })
  .strict();
export type DischargeInput = z.input<typeof dischargeInput>;

export const placementServiceInput = z
  .object({
    description: text(2000),
    frequency: optText(200),
    startOn: isoDate,
    endOn: isoDate.nullish(),
  })
  .strict();
export type PlacementServiceInput = z.input<typeof placementServiceInput>;

export type CarePlanGoal = {
  id: string;
  term: (typeof GOAL_TERMS)[number];
  description: string;
  achieved: boolean | null;
  outcomeNote: string | null;
  position: number;
};

export type CarePlanIntervention = {
  id: string;
  description: string;
  serviceCode: string | null;
  frequency: string | null;
  provider: string | null;
  responsibleOperatorId: string | null;
  startOn: string | null;
  endOn: string | null;
  position: number;
};

export type CarePlanReview = {
  id: string;
  carePlanId: string;
  dueOn: string;
  purpose: (typeof REVIEW_PURPOSES)[number];
  doneOn: string | null;
  outcome: (typeof REVIEW_OUTCOMES)[number] | null;
  outcomeNote: string | null;
  reviewerId: string | null;
};

export type FosterCarePlan = {
  status: number;
  form: string | null;
  kind: string | null;
  duration: string | null;
  character: string | null;
  fosterFamily: string | null;
  startedOn: string | null;
  endedOn: string | null;
  outcome: string | null;
};

export type CarePlan = {
  id: string;
  caseFileId: string;
  title: string;
  startOn: string;
  endOn: string | null;
  responsibleOperatorId: string;
  status: 'ACTIVE' | 'CLOSED';
  closedOn: string | null;
  closureReason: string | null;
  agreedBy: 'PERSON' | 'REPRESENTATIVE' | null;
  agreedOn: string | null;
  representativeName: string | null;
  createdAt: Date;
  goals: CarePlanGoal[];
  interventions: CarePlanIntervention[];
  reviews: CarePlanReview[];
  fosterCare: FosterCarePlan | null;
};

export type PlacementService = {
  id: string;
  description: string;
  frequency: string | null;
  startOn: string;
  endOn: string | null;
};

export type ResidentialPlacement = {
  id: string;
  caseFileId: string;
  carePlanId: string | null;
  facilityName: string;
  facilityCharacter: string | null;
  form: string | null;
  withParent: string | null;
  phase: number;
  admissionOn: string;
  expectedDischargeOn: string | null;
  dischargeOn: string | null;
  dischargeOutcome: string | null;
  notes: string | null;
  services: PlacementService[];
};

/** A review that is due (within the horizon) or overdue, for the alert list. */
export type DueReview = {
  reviewId: string;
  carePlanId: string;
  carePlanTitle: string;
  caseFileId: string;
  personId: string;
  dueOn: string;
  purpose: (typeof REVIEW_PURPOSES)[number];
  overdue: boolean;
  daysLate: number;
};
