// Demo case files: the demo region's proposals for taking into care (intake records PROPOSED)
// are evaluated as a social service would: most are taken into care, some rejected, some still
// waiting; a later proposal for a person already in care is attached to the open case file. Each
// case gets a dossier (interviews, visits, diary, social data, ISEE, assessments) and, for many,
// a care plan with reviews (some overdue, so the alerts have something to show), foster care for
// some minors and residential placements for some elderly people.
//
// Everything goes through the services, as the social worker of the proposed office (or the
// system, in offices without one), so the demo holds only what the rules allow. Choices are a pure
// function of (seed, intake record id): a run that stopped resumes, and a second run adds nothing.
import { type Actor, SYSTEM_ACTOR } from '../access/actor.ts';
import { recordAssessment } from '../case-file/assessment/assessment.service.ts';
import { BARTHEL_ITEMS } from '../case-file/assessment/barthel.ts';
import {
  completeReview,
  createCarePlan,
  createPlacement,
  dischargeFromPlacement,
  setFosterCare,
} from '../case-file/care-plan/care-plan.service.ts';
import { selectCaseHeader } from '../case-file/case-file.access.ts';
import { addIsee, changeCaseStatus, recordSocialData } from '../case-file/case-file.service.ts';
import { today } from '../case-file/case-file.util.ts';
import { consentRefusalForNewIntervention } from '../case-file/case-file-consent.service.ts';
import { addDiaryEntry, recordActivity } from '../case-file/dossier/dossier.service.ts';
import {
  attachIntakeRecord,
  openCaseFile,
  rejectIntakeRecord,
  startEvaluation,
} from '../case-file/take-into-care.service.ts';
import type { Db } from '../db/db.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { createRandom, type Random } from './prng.ts';

export type GenerateCaseDemoOptions = {
  seed: number;
  /** Share of the proposals decided (the rest wait for evaluation); default 0.85. */
  decidedShare?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
};

export type GenerateCaseDemoResult = {
  proposals: number;
  opened: number;
  attached: number;
  rejected: number;
  underEvaluation: number;
  waiting: number;
  carePlans: number;
};

type Proposal = {
  id: string;
  officeId: string;
  personId: string;
  accessKind: string;
  occurredAt: Date;
  birthDate: string | null;
  needs: string[] | null;
  services: string[] | null;
};

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const TARGET_AREAS = new Set(['FAM', 'DIS', 'ADD', 'ELD', 'IMMNOM', 'POV', 'MULBEN']);

const PROBLEMS: Record<string, [string, string][]> = {
  POV: [
    ['HUB', 'ECONOMIC'],
    ['HUB', 'HOUSING'],
    ['HUB', 'WORK'],
  ],
  ELD: [
    ['HUB', 'AUTONOMY'],
    ['HUB', 'HEALTH'],
    ['HUB', 'ISOLATION'],
  ],
  DIS: [
    ['HUB', 'AUTONOMY'],
    ['HUB', 'HEALTH'],
  ],
  FAM: [
    ['SINBA_FAMIGLIA', '2'],
    ['SINBA_FAMIGLIA', '6'],
    ['SINBA_FAMIGLIA', '12'],
    ['SINBA_MINORE', '2'],
  ],
  ADD: [['HUB', 'ADDICTION']],
  IMMNOM: [
    ['HUB', 'INTEGRATION'],
    ['HUB', 'WORK'],
  ],
  MULBEN: [['HUB', 'FAMILY']],
};

const GOALS: Record<string, [string, string][]> = {
  POV: [
    ['SHORT', 'Sostegno al reddito per le spese essenziali'],
    ['MEDIUM', 'Ricerca attiva di lavoro con il Centro per l’impiego'],
    ['LONG', 'Autonomia economica e abitativa'],
  ],
  ELD: [
    ['SHORT', 'Cura della persona e dell’abitazione garantite'],
    ['LONG', 'Permanenza al domicilio in sicurezza'],
  ],
  DIS: [
    ['SHORT', 'Attivazione del servizio educativo'],
    ['LONG', 'Partecipazione alla vita sociale'],
  ],
  FAM: [
    ['SHORT', 'Sostegno alla genitorialità'],
    ['MEDIUM', 'Regolare frequenza scolastica'],
    ['LONG', 'Benessere del minore nel suo ambiente'],
  ],
  ADD: [
    ['SHORT', 'Aggancio ai servizi per le dipendenze'],
    ['LONG', 'Reinserimento sociale'],
  ],
  IMMNOM: [
    ['SHORT', 'Regolarizzazione dei documenti'],
    ['MEDIUM', 'Corso di lingua italiana'],
  ],
  MULBEN: [['SHORT', 'Orientamento ai servizi del territorio']],
};

const NOTES = [
  'Contatto telefonico con l’utente: aggiornamento sulla situazione.',
  'Colloquio con un familiare di riferimento.',
  'Raccordo con il medico di medicina generale.',
  'Consegnata la documentazione richiesta.',
  'L’utente riferisce un miglioramento della situazione.',
  'Incontro di rete con i servizi coinvolti.',
];

async function loadProposals(db: Db): Promise<Proposal[]> {
  return db.query<Proposal>(
    `SELECT i.id, i.proposed_office_id AS "officeId", i.subject_person_id AS "personId",
            i.access_kind AS "accessKind", i.occurred_at AS "occurredAt", p.birth_date AS "birthDate",
            (SELECT array_agg(n.need_code ORDER BY n.need_code) FROM intake_need n WHERE n.intake_id = i.id) AS needs,
            (SELECT array_agg(s.service_code ORDER BY s.service_code) FROM intake_service_request s
              WHERE s.intake_id = i.id) AS services
       FROM intake_record i JOIN person p ON p.id = i.subject_person_id
      WHERE i.status = 'PROPOSED' AND i.deleted_at IS NULL AND i.proposed_office_id IS NOT NULL
      ORDER BY i.occurred_at, i.id`,
  );
}

/** The social workers of each office, as actors (the first one leads the office's cases). */
async function officeWorkers(db: Db): Promise<Map<string, Actor[]>> {
  const rows = await db.query<{ officeId: string; operatorId: string }>(
    `SELECT m.office_id AS "officeId", m.operator_id AS "operatorId" FROM membership m
       JOIN operator o ON o.id = m.operator_id AND o.active
      WHERE m.role = 'SOCIAL_WORKER' ORDER BY o.username`,
  );
  const out = new Map<string, Actor[]>();
  const origin = { ip: null, userAgent: 'demo' };
  for (const r of rows) {
    const actor = await loadOperatorActor(db, r.operatorId, origin);
    if (actor) out.set(r.officeId, [...(out.get(r.officeId) ?? []), actor]);
  }
  return out;
}

const ageOn = (birthDate: string | null, onMs: number) =>
  birthDate ? (onMs - Date.parse(`${birthDate}T00:00:00Z`)) / (365.2425 * DAY) : 40;

/** A date `days` after `fromMs`, never after today. */
const dayAfter = (fromMs: number, days: number, todayMs: number) =>
  iso(Math.min(fromMs + days * DAY, todayMs));

async function fillDossier(
  db: Db,
  actor: Actor,
  r: Random,
  caseFileId: string,
  p: Proposal,
  area: string,
  openedMs: number,
  todayMs: number,
): Promise<{ carePlan: boolean }> {
  const span = Math.max(0, Math.floor((todayMs - openedMs) / DAY));
  // SIUSS service codes are 5 to 10 characters.
  const services = (p.services ?? []).filter((c) => c.length >= 5 && c.length <= 10);
  const minor = ageOn(p.birthDate, openedMs) < 18;
  const elder = ageOn(p.birthDate, openedMs) >= 65;

  // Social data verified after the interview; the ISEE for economic needs.
  await recordSocialData(db, actor, caseFileId, {
    domain: 'EDUCATION',
    code: minor ? '2' : r.pick(['2', '3', '3', '4', '5', '6']),
    reliability: r.chance(0.6) ? 'VERIFIED' : 'REPORTED',
    source: 'INTERVIEW',
    recordedOn: dayAfter(openedMs, 1, todayMs),
  });
  if (!minor) {
    await recordSocialData(db, actor, caseFileId, {
      domain: 'HOUSING',
      code: r.weighted([
        ['RENTED', 5],
        ['OWNED', 4],
        ['SOCIAL_HOUSING', 2],
        ['GUEST', 1],
      ] as const),
      reliability: 'REPORTED',
      source: 'INTERVIEW',
      recordedOn: dayAfter(openedMs, 1, todayMs),
    });
  }
  if (area === 'POV' || r.chance(0.3)) {
    const from = dayAfter(openedMs, r.int(0, 20), todayMs);
    await addIsee(db, actor, caseFileId, {
      iseeType: minor ? 'MINORENNI' : elder && r.chance(0.3) ? 'SOCIOSAN' : 'ORDINARIO',
      iseeValue: Math.round(r.next() * (area === 'POV' ? 9000 : 30000) * 100) / 100,
      validFrom: from,
      validTo: `${from.slice(0, 4)}-12-31`,
    });
  }

  // Visits, meetings and diary over the months of care.
  const activities = r.int(0, Math.min(3, 1 + Math.floor(span / 60)));
  for (let i = 0; i < activities; i++) {
    await recordActivity(db, actor, caseFileId, {
      kind: r.weighted([
        ['HOME_VISIT', 4],
        ['MEETING', 3],
        ['INTERVIEW', 3],
      ] as const),
      on: dayAfter(openedMs, r.int(7, Math.max(7, span)), todayMs),
      summary: r.pick(NOTES),
      durationMinutes: r.pick([30, 45, 60, 90]),
    });
  }
  const notes = r.int(1, Math.min(8, 2 + Math.floor(span / 45)));
  for (let i = 0; i < notes; i++) {
    await addDiaryEntry(db, actor, caseFileId, {
      type: r.weighted([
        ['NOTE', 6],
        ['INTERVIEW', 2],
        ['CONTACTS', 1],
      ] as const),
      on: dayAfter(openedMs, r.int(2, Math.max(2, span)), todayMs),
      text: r.pick(NOTES),
    });
  }

  // Assessments: Barthel and SINA for the elderly and disabled, SInBA for minors.
  if ((elder || area === 'DIS') && r.chance(0.6)) {
    const frail = r.next();
    const items = Object.fromEntries(
      BARTHEL_ITEMS.map((it) => [
        it.key,
        it.scores[Math.min(it.scores.length - 1, Math.floor(frail * it.scores.length + r.next()))],
      ]),
    );
    const assessedOn = dayAfter(openedMs, r.int(5, 30), todayMs);
    await recordAssessment(db, actor, caseFileId, {
      kind: 'BARTHEL',
      assessedOn,
      items,
      respondent: 'familiare',
    });
    await recordAssessment(db, actor, caseFileId, {
      kind: 'SINA',
      assessedOn,
      data: {
        Mobilita: frail < 0.3 ? '1' : frail < 0.7 ? '2' : '3',
        AttivitaVitaQuotidiana: frail < 0.3 ? '1' : frail < 0.7 ? '2' : '3',
        DisturbiComportamentali: r.chance(0.2) ? '2' : '1',
        AreaReddituale: r.pick(['1', '2', '3']),
        AreaSupporto: r.pick(['1', '2', '3']),
        FonteDerivazioneValutazione: r.pick(['1', '2', '4']),
        StrumentoValutazione: r.pick(['1', '7']),
        ...(services.length
          ? { NecessitaInterventiSociali: { CodicePrestazione: services.slice(0, 3) } }
          : {}),
      },
    });
  }
  const sinbaOn = dayAfter(openedMs, r.int(5, 40), todayMs);
  if (
    p.birthDate &&
    ageOn(p.birthDate, Date.parse(`${sinbaOn}T00:00:00Z`)) < 17.9 &&
    r.chance(0.5)
  ) {
    const first = new Date(p.occurredAt);
    await recordAssessment(db, actor, caseFileId, {
      kind: 'SINBA',
      assessedOn: sinbaOn,
      data: {
        MinoreStranieroNoAcc: '2',
        CondizioneMinore: '1',
        LuogoVita: '1',
        ScuolaFrequentata: r.pick(['4', '5', '6', '7']),
        CondizioneLavoro: '1',
        Disabilita: '2',
        DataPrimaSegnalazione: `${String(first.getUTCMonth() + 1).padStart(2, '0')}/${first.getUTCFullYear()}`,
        FonteSegnalazione:
          p.accessKind === 'JUDICIAL_AUTHORITY' ? '11' : r.pick(['2', '3', '8', '13']),
        ValutazioneMinore: r.pick(['1', '2', '13']),
        ValutazioneFamigliaMinore: r.pick(['2', '6', '12']),
        SegnalazioneAutoritaGiudiziaria: p.accessKind === 'JUDICIAL_AUTHORITY' ? '1' : '2',
        ProvvedimentoGiudiziario: p.accessKind === 'JUDICIAL_AUTHORITY' ? '1' : '2',
        ...(p.accessKind === 'JUDICIAL_AUTHORITY'
          ? { AutoritaProvvedimento: '2', TipoProvvedimentoGiudiziario: '5' }
          : {}),
        Prestazioni: { CodicePrestazione: services.length ? services.slice(0, 2) : ['A2.02'] },
        Famiglia: { ComposizioneFamiglia: r.chance(0.7) ? ['1', '2'] : ['1'] },
      },
    });
  }

  // The care plan, with reviews every three months: those past are mostly done, a few overdue.
  if (actor.kind !== 'OPERATOR' || !r.chance(0.65)) return { carePlan: false };
  // A person who withdrew consent gets no new plan (case-file-consent.service.ts), as at the office.
  const allowed = await db.transaction(async (tx) => {
    const header = await selectCaseHeader(tx, caseFileId);
    return !header || !(await consentRefusalForNewIntervention(tx, header, 'CarePlan'));
  });
  if (!allowed) return { carePlan: false };
  const startMs = Math.min(openedMs + r.int(7, 30) * DAY, todayMs);
  const startOn = iso(startMs);
  const reviewDates = [90, 180, 270, 360].map((d) => iso(startMs + d * DAY));
  const plan = await createCarePlan(db, actor, caseFileId, {
    title: `PAI ${area === 'FAM' ? 'famiglia e minori' : area === 'ELD' ? 'domiciliarità' : 'inclusione'}`,
    startOn,
    endOn: iso(startMs + 365 * DAY),
    goals: (GOALS[area] ?? GOALS['MULBEN']!).map(([term, description]) => ({
      term: term as 'SHORT' | 'MEDIUM' | 'LONG',
      description,
    })),
    interventions: (services.length ? services : ['A2.01']).slice(0, 2).map((code) => ({
      description: `Intervento ${code}`,
      serviceCode: code,
      frequency: r.pick(['settimanale', 'mensile', 'due volte a settimana']),
      responsibleOperatorId: actor.id,
      startOn,
    })),
    reviews: reviewDates.map((dueOn, i) => ({ dueOn, purpose: i === 0 ? 'VALU' : 'VERI' })),
    agreement: r.chance(0.85)
      ? minor || r.chance(0.15)
        ? {
            agreedBy: 'REPRESENTATIVE',
            agreedOn: startOn,
            representativeName: minor ? 'Genitore' : 'Amministratore di sostegno',
          }
        : { agreedBy: 'PERSON', agreedOn: startOn }
      : null,
  });
  for (const review of plan.reviews) {
    if (review.dueOn > today() || r.chance(0.15)) continue;
    await completeReview(db, actor, review.id, {
      doneOn: dayAfter(Date.parse(`${review.dueOn}T00:00:00Z`), r.int(0, 10), todayMs),
      outcome: r.weighted([
        ['ON_TRACK', 5],
        ['PARTIALLY_ACHIEVED', 3],
        ['NOT_ACHIEVED', 1],
      ] as const),
    });
  }
  if (minor && area === 'FAM' && r.chance(0.15)) {
    await setFosterCare(db, actor, plan.id, {
      status: r.pick([20, 40, 50]),
      form: p.accessKind === 'JUDICIAL_AUTHORITY' ? '2' : '1',
      kind: r.pick(['1', '2']),
      duration: '1',
      character: '1',
      startedOn: startOn,
    });
  }
  if (elder && r.chance(0.1)) {
    const admission = dayAfter(startMs, r.int(10, 60), todayMs);
    const placement = await createPlacement(db, actor, caseFileId, {
      carePlanId: plan.id,
      facilityName: r.pick([
        'RSA Santa Maria',
        'Residenza protetta Villa Serena',
        'RSA San Francesco',
      ]),
      admissionOn: admission,
      phase: 2,
    });
    if (r.chance(0.3) && Date.parse(`${admission}T00:00:00Z`) + 90 * DAY < todayMs) {
      await dischargeFromPlacement(db, actor, placement.id, {
        dischargeOn: iso(Date.parse(`${admission}T00:00:00Z`) + 90 * DAY),
        outcome: '1',
      });
    }
  }
  return { carePlan: true };
}

/**
 * Evaluates the demo region's proposals for taking into care (see the header comment). Needs the
 * intake demo (demo/intake-demo.ts); safe to run again.
 */
export async function generateCaseDemo(
  db: Db,
  options: GenerateCaseDemoOptions,
): Promise<GenerateCaseDemoResult> {
  const decidedShare = options.decidedShare ?? 0.85;
  const proposals = await loadProposals(db);
  const workers = await officeWorkers(db);
  const todayMs = Date.parse(`${today()}T00:00:00Z`);
  const result: GenerateCaseDemoResult = {
    proposals: proposals.length,
    opened: 0,
    attached: 0,
    rejected: 0,
    underEvaluation: 0,
    waiting: 0,
    carePlans: 0,
  };
  for (const [index, p] of proposals.entries()) {
    options.onProgress?.(index, proposals.length);
    const r = createRandom(options.seed, Number.parseInt(p.id.replace(/-/g, '').slice(0, 8), 16));
    const office = workers.get(p.officeId) ?? [];
    const actor: Actor = office.length > 0 ? r.pick(office) : SYSTEM_ACTOR;
    const judicial = p.accessKind === 'JUDICIAL_AUTHORITY';
    const ageDays = (todayMs - p.occurredAt.getTime()) / DAY;
    // Recent proposals are more often still waiting.
    if (!r.chance(ageDays < 30 ? decidedShare / 2 : decidedShare)) {
      if (r.chance(0.5)) {
        await startEvaluation(db, actor, p.id);
        result.underEvaluation++;
      } else {
        result.waiting++;
      }
      continue;
    }
    const open = await db.query<{ id: string }>(
      `SELECT id FROM case_file WHERE person_id = $1 AND office_id = $2 AND status <> 'CLOSED'`,
      [p.personId, p.officeId],
    );
    const decidedMs = Math.min(p.occurredAt.getTime() + r.int(1, 20) * DAY, todayMs);
    if (open[0]) {
      if (actor.kind === 'OPERATOR') {
        const enabled = await db.query(
          'SELECT 1 FROM case_operator WHERE case_file_id = $1 AND operator_id = $2 AND disabled_at IS NULL',
          [open[0].id, actor.id],
        );
        if (enabled.length === 0) {
          result.waiting++;
          continue;
        }
      }
      await attachIntakeRecord(db, actor, p.id, { caseFileId: open[0].id });
      result.attached++;
      continue;
    }
    if (!judicial && r.chance(0.15)) {
      await rejectIntakeRecord(db, actor, p.id, {
        reasonCode: r.weighted([
          ['USER_REFUSED', 4],
          ['NOT_NECESSARY', 4],
          ['NOT_COMPETENT', 1],
          ['NOT_TRUTHFUL', 1],
        ] as const),
        reason:
          'Dopo il primo colloquio la presa in carico non risulta necessaria o non è accettata',
        interview: { on: iso(decidedMs), notes: 'Primo colloquio professionale' },
      });
      result.rejected++;
      continue;
    }
    const need = (p.needs ?? []).find((n) => TARGET_AREAS.has(n));
    const area = need ?? (ageOn(p.birthDate, decidedMs) < 18 ? 'FAM' : 'MULBEN');
    const problems = PROBLEMS[area] ?? PROBLEMS['MULBEN']!;
    const minorAtOpening = ageOn(p.birthDate, decidedMs) < 18;
    const { caseFileId } = await openCaseFile(db, actor, p.id, {
      targetAreaCode: area,
      openedOn: iso(decidedMs),
      firstInterview: {
        on: iso(decidedMs),
        place: r.pick(['Ufficio', 'Domicilio']),
        withWhom: minorAtOpening ? 'i genitori' : "l'utente",
        summary:
          'Primo colloquio professionale: raccolte le informazioni sulla situazione sociale.',
        durationMinutes: r.pick([45, 60, 90]),
        problems: problems
          .filter((pr) => area !== 'FAM' || minorAtOpening || pr[0] !== 'SINBA_MINORE')
          .slice(0, r.int(1, problems.length))
          .map(([scheme, code]) => ({ scheme, code })),
      },
    });
    result.opened++;
    const dossier = await fillDossier(db, actor, r, caseFileId, p, area, decidedMs, todayMs);
    if (dossier.carePlan) result.carePlans++;
    // Cases in care for a while: some closed, a few suspended.
    if ((todayMs - decidedMs) / DAY > 180) {
      const end = r.next();
      if (end < 0.2) {
        await changeCaseStatus(db, actor, caseFileId, {
          to: 'CLOSED',
          reason: r.pick([
            'Obiettivi raggiunti',
            'Trasferimento di residenza',
            'Rinuncia dell’utente',
          ]),
          on: dayAfter(decidedMs, r.int(150, 300), todayMs),
        });
      } else if (end < 0.25) {
        await changeCaseStatus(db, actor, caseFileId, {
          to: 'SUSPENDED',
          reason: 'Ricovero ospedaliero',
          on: dayAfter(decidedMs, r.int(150, 300), todayMs),
        });
      }
    }
  }
  options.onProgress?.(proposals.length, proposals.length);
  return result;
}
