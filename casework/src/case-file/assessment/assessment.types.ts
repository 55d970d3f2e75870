import { z } from 'zod';
import type { BarthelBand, BarthelItems } from './barthel.ts';
import type { SinaData, SinbaData } from './siuss-zod.ts';

export const ASSESSMENT_KINDS = ['SINBA', 'SINA', 'BARTHEL'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** Version of the schema the data follows, stored with each assessment. */
export const SCHEMA_VERSIONS: Record<AssessmentKind, string> = {
  SINBA: 'INPS-SINBA-1.0.0',
  SINA: 'INPS-PS_PSA_SINA-201812',
  BARTHEL: 'BARTHEL-SHAH-SISO-1',
};

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const optText = z.string().trim().min(1).max(20000).nullish();

/** The envelope; `data` (SINBA/SINA) and `items` (Barthel) are checked by their own schemas. */
export const assessmentEnvelope = z
  .object({
    kind: z.enum(ASSESSMENT_KINDS),
    assessedOn: isoDate,
    notes: optText,
    data: z.record(z.string(), z.unknown()).nullish(),
    items: z.record(z.string(), z.unknown()).nullish(),
    /** Barthel: who was interviewed to fill the form (SISO intervistaA). */
    respondent: z.string().trim().min(1).max(200).nullish(),
  })
  .strict();
export type AssessmentInput = z.input<typeof assessmentEnvelope>;

export type BarthelData = BarthelItems & { respondent?: string | undefined };

export type Assessment = {
  id: string;
  caseFileId: string;
  kind: AssessmentKind;
  schemaVersion: string;
  assessedOn: string;
  /** SINBA/SINA: the XSD attributes and elements under their own names; BARTHEL: the items. */
  data: SinbaData | SinaData | BarthelData | Record<string, unknown>;
  score: number | null;
  scoreBand: BarthelBand | null;
  notes: string | null;
  assessorId: string | null;
  createdAt: Date;
  /** Attributes removed because the actor's desk profile masks their group. */
  maskedFields: string[];
};
