import { z } from 'zod';
import type { SensitiveGroup } from '../../access/actor.ts';
import { problemRefInput } from '../case-file.types.ts';

/** Diary types a social worker writes by hand (the others are written by the dossier itself). */
export const MANUAL_DIARY_TYPES = {
  NOTE: 4,
  INTERVIEW: 5,
  FAMILY: 14,
  HOUSING: 15,
  CONTACTS: 16,
  HOUSING_MEDIATION: 17,
  JOB_ORIENTATION: 18,
  EDUCATION_ORIENTATION: 20,
  CULTURAL_MEDIATION: 21,
  SERVICE_REQUEST: 22,
} as const;

/** tipo_diario ids the dossier writes on its own events. */
export const DIARY_TYPE = {
  STATUS_CHANGE: 1,
  NOTE: 4,
  INTERVIEW: 5,
  PROFESSIONAL_ACTIVITY: 6,
  MULTIDIMENSIONAL_ASSESSMENT: 7,
  CARE_PLAN: 8,
  BARTHEL: 9,
  DOCUMENT: 10,
  SCHOOL: 11,
  ISEE: 12,
  COURT_MEASURES: 19,
  SERVICE_REQUEST: 22,
  SINBA: 23,
} as const;

export const ACTIVITY_KINDS = ['INTERVIEW', 'HOME_VISIT', 'MEETING', 'TRIAGE'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const REFERRAL_KINDS = ['SERVICE', 'OPERATOR', 'SECOND_LEVEL', 'OTHER_BODY'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const PROJECT_KINDS = [
  'WORK_INCLUSION',
  'EDUCATIONAL',
  'HOUSING',
  'AUTONOMY',
  'OTHER',
] as const;
export const PROJECT_STATUSES = ['PLANNED', 'ACTIVE', 'COMPLETED', 'CANCELLED'] as const;
/** Work-inclusion phases, SISO PaiSALFaseEnum. */
export const WORK_INCLUSION_PHASES = [10, 20, 30, 40, 50, 60, 70] as const;

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const text = (max: number) =>
  z.string().trim().min(1, 'campo obbligatorio').max(max, `al massimo ${max} caratteri`);
const optText = (max: number) => text(max).nullish();

export const diaryEntryInput = z
  .object({
    type: z.enum(Object.keys(MANUAL_DIARY_TYPES) as [keyof typeof MANUAL_DIARY_TYPES]),
    on: isoDate,
    text: text(20000),
  })
  .strict();
export type DiaryEntryInput = z.input<typeof diaryEntryInput>;

export const activityInput = z
  .object({
    kind: z.enum(ACTIVITY_KINDS),
    on: isoDate,
    place: optText(200),
    withWhom: optText(200),
    summary: text(20000),
    durationMinutes: z.number().int().positive().max(1440).nullish(),
    operatorIds: z.array(z.uuid()).max(20).default([]),
    triage: z
      .object({ urgency: z.enum(['LOW', 'MEDIUM', 'HIGH']), outcome: optText(2000) })
      .strict()
      .nullish(),
    problems: z.array(problemRefInput).max(50).default([]),
  })
  .strict()
  .refine((a) => (a.kind === 'TRIAGE') === !!a.triage, {
    message: 'il triage richiede urgenza ed esito; le altre attività non li hanno',
    path: ['triage'],
  });
export type ActivityInput = z.input<typeof activityInput>;

export const referralInput = z
  .object({
    kind: z.enum(REFERRAL_KINDS),
    toOfficeId: z.uuid().nullish(),
    toOperatorId: z.uuid().nullish(),
    toOrganizationId: z.uuid().nullish(),
    toBody: optText(200),
    reason: text(4000),
    on: isoDate.nullish(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'OPERATOR' && !r.toOperatorId) {
      ctx.addIssue({ code: 'custom', message: "indicare l'operatore", path: ['toOperatorId'] });
    }
    if ((r.kind === 'SERVICE' || r.kind === 'SECOND_LEVEL') && !r.toOfficeId) {
      ctx.addIssue({
        code: 'custom',
        message: "indicare l'ufficio o servizio",
        path: ['toOfficeId'],
      });
    }
    if (r.kind === 'OTHER_BODY' && !r.toOrganizationId && !r.toBody) {
      ctx.addIssue({ code: 'custom', message: "indicare l'ente", path: ['toBody'] });
    }
  });
export type ReferralInput = z.input<typeof referralInput>;

export const answerReferralInput = z.object({ accept: z.boolean(), note: optText(2000) }).strict();
export type AnswerReferralInput = z.input<typeof answerReferralInput>;

export const projectInput = z
  .object({
    kind: z.enum(PROJECT_KINDS),
    title: text(200),
    description: optText(20000),
    startOn: isoDate,
    endOn: isoDate.nullish(),
    status: z.enum(PROJECT_STATUSES).default('ACTIVE'),
    phase: z
      .number()
      .int()
      .refine(
        (p) => (WORK_INCLUSION_PHASES as readonly number[]).includes(p),
        'fase PaiSALFaseEnum (10, 20 … 70)',
      )
      .nullish(),
    responsibleOperatorId: z.uuid().nullish(),
  })
  .strict();
export type ProjectInput = z.input<typeof projectInput>;

export type DiaryEntry = {
  id: string;
  typeId: number;
  typeConstant: string;
  typeLabel: string;
  on: string;
  text: string;
  authorId: string | null;
  authorName: string | null;
  sourceKind: string | null;
  sourceId: string | null;
  /** The group of what an automatic line states; never sent to a desk that masks it. */
  sensitiveGroup: SensitiveGroup | null;
  createdAt: Date;
};

export type ProfessionalActivity = {
  id: string;
  kind: ActivityKind;
  on: string;
  place: string | null;
  withWhom: string | null;
  summary: string;
  durationMinutes: number | null;
  operatorIds: string[];
  triageUrgency: 'LOW' | 'MEDIUM' | 'HIGH' | null;
  triageOutcome: string | null;
  firstInterview: boolean;
  createdBy: string | null;
  createdAt: Date;
};

export type Referral = {
  id: string;
  caseFileId: string;
  kind: ReferralKind;
  toOfficeId: string | null;
  toOperatorId: string | null;
  toOrganizationId: string | null;
  toBody: string | null;
  /**
   * The receiver's name when the referral was sent, as the referrer picked it (the office with
   * its organisation, the operator, the organisation): shown when the receiver is no longer listed.
   */
  toName: string | null;
  reason: string;
  status: 'SENT' | 'ACCEPTED' | 'DECLINED';
  sentOn: string;
  sentBy: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  answerNote: string | null;
};

export type IndividualProject = {
  id: string;
  kind: (typeof PROJECT_KINDS)[number];
  title: string;
  description: string | null;
  startOn: string;
  endOn: string | null;
  status: (typeof PROJECT_STATUSES)[number];
  phase: number | null;
  responsibleOperatorId: string | null;
  createdAt: Date;
};
