// The case file (issue 5): opening case files with their dossier by 20 social workers at once
// (p99), and loading a full case file with 200 diary entries (p95; target under 30 ms). Both run
// in process on the casework services, as the gateway's resolvers call them. Options:
//   BENCH_DATABASE_URL=postgres://…  a fresh schema on that server instead of PGlite (dropped after)
//   BENCH_CASES_PER_WORKER=15        case files each of the 20 social workers opens
//   BENCH_LOADS=300                  full case-file loads measured
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addDiaryEntry,
  addIsee,
  createCarePlan,
  type Db,
  type DbConfig,
  getCaseFile,
  loadOperatorActor,
  type OperatorActor,
  openCaseFile,
  openDb,
  recordActivity,
  recordAssessment,
  shiftDay,
  todayInRome,
} from '@hub/casework';
import type { BenchResult, BenchRow } from './bench.types.ts';
import { prepareBenchStore } from './lib/bench-store.ts';

export const name = 'case-file';

const WORKERS = 20;
const CASES_PER_WORKER = Number(process.env.BENCH_CASES_PER_WORKER ?? 15);
const LOADS = Number(process.env.BENCH_LOADS ?? 300);
const DIARY_ENTRIES = 200;
const LOAD_TARGET_P95_MS = 30;
const DATABASE_URL = process.env.BENCH_DATABASE_URL || null;

const day = (offset: number) => shiftDay(todayInRome(), offset);
const BARTHEL = {
  feeding: 10,
  bathing: 4,
  grooming: 5,
  dressing: 8,
  bowels: 10,
  bladder: 8,
  toiletUse: 8,
  transfers: 12,
  ambulation: 12,
  stairs: 5,
};

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 10) / 10;
}

function figures(label: string, samples: number[], wallMs: number): BenchRow {
  const s = [...samples].sort((a, b) => a - b);
  return {
    case: label,
    n: s.length,
    'ops/s': Math.round((s.length / wallMs) * 1000),
    'p50 ms': percentile(s, 50),
    'p95 ms': percentile(s, 95),
    'p99 ms': percentile(s, 99),
    'max ms': percentile(s, 100),
  };
}

/** Social workers of the Perugia office (the fixture has two; the bench adds the others). */
async function socialWorkers(db: Db, officeId: string): Promise<OperatorActor[]> {
  const ids: string[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`,
      [`bench.as${i}`],
    );
    await db.query(
      `INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, 'SOCIAL_WORKER')`,
      [row!.id, officeId],
    );
    ids.push(row!.id);
  }
  const origin = { ip: '127.0.0.1', userAgent: 'bench' };
  return Promise.all(ids.map(async (id) => (await loadOperatorActor(db, id, origin))!));
}

/** One proposal per case to open, for distinct persons of the Perugia zone. */
async function proposals(db: Db, n: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `WITH p AS (
       SELECT id, row_number() OVER (ORDER BY id) AS k FROM person
        WHERE owner_organization_id = (SELECT id FROM organization WHERE name = 'Zona sociale 2 – Perugia')
          AND NOT EXISTS (SELECT 1 FROM intake_record i WHERE i.subject_person_id = person.id)
        LIMIT $1)
     INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel, access_kind,
       legal_basis, interlocutor_kind, subject_person_id, status, outcome, proposed_office_id, summary)
     SELECT o.organization_id, o.id, cp.id, now() - interval '2 days', 'IN_PERSON', 'CITIZEN', 'CONSENT', 'SUBJECT',
            p.id, 'PROPOSED', 'PROPOSAL_TAKE_INTO_CARE', o.id, 'Richiesta di aiuto'
       FROM p, office o JOIN contact_point cp ON cp.office_id = o.id AND cp.kind = 'PUA'
      WHERE o.name = 'Servizio sociale professionale – Perugia'
     RETURNING id`,
    [n],
  );
  if (rows.length < n) throw new Error(`only ${rows.length} persons for ${n} proposals`);
  return rows.map((r) => r.id);
}

/** Opening a case file with its dossier: what a social worker does on the first day. */
async function openWithDossier(
  db: Db,
  actor: OperatorActor,
  intakeRecordId: string,
): Promise<string> {
  const { caseFileId } = await openCaseFile(db, actor, intakeRecordId, {
    targetAreaCode: 'ELD',
    firstInterview: {
      on: day(0),
      summary: 'Primo colloquio professionale',
      problems: [
        { scheme: 'HUB', code: 'AUTONOMY' },
        { scheme: 'HUB', code: 'ISOLATION' },
      ],
    },
  });
  await recordActivity(db, actor, caseFileId, {
    kind: 'HOME_VISIT',
    on: day(0),
    summary: 'Visita domiciliare',
  });
  await addDiaryEntry(db, actor, caseFileId, {
    type: 'NOTE',
    on: day(0),
    text: 'Contatto con la figlia',
  });
  await recordAssessment(db, actor, caseFileId, {
    kind: 'BARTHEL',
    assessedOn: day(0),
    items: BARTHEL,
  });
  await createCarePlan(db, actor, caseFileId, {
    title: 'PAI domiciliarità',
    startOn: day(0),
    goals: [
      { term: 'SHORT', description: 'Igiene personale garantita' },
      { term: 'LONG', description: 'Permanenza al domicilio' },
    ],
    interventions: [{ description: 'Assistenza domiciliare', serviceCode: 'A2.07' }],
    reviews: [{ dueOn: day(90) }, { dueOn: day(180) }],
    agreement: { agreedBy: 'PERSON', agreedOn: day(0) },
  });
  return caseFileId;
}

export async function run(): Promise<BenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-bench-case-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config: DbConfig = DATABASE_URL
    ? { kind: 'postgres', url: DATABASE_URL, schema, max: WORKERS }
    : { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  const cases = WORKERS * CASES_PER_WORKER;
  const notes: string[] = [];
  try {
    const store = await prepareBenchStore(config, Math.max(2000, cases * 3));
    const db = await openDb(config);
    try {
      const [office] = await db.query<{ id: string }>(
        `SELECT id FROM office WHERE name = 'Servizio sociale professionale – Perugia'`,
      );
      const workers = await socialWorkers(db, office!.id);
      const intakes = await proposals(db, cases + 1);

      // Check before measuring: one case opened and read back whole, its dossier in place.
      const probe = await openWithDossier(db, workers[0]!, intakes.pop()!);
      const probed = await getCaseFile(db, workers[0]!, probe);
      if (
        probed.status !== 'IN_CARE' ||
        probed.carePlans.length !== 1 ||
        probed.assessments[0]?.score !== 82
      )
        throw new Error(
          `the probe case file is not what was written: ${JSON.stringify(probed.statusHistory)}`,
        );
      notes.push(
        `store: ${DATABASE_URL ? `PostgreSQL, schema ${schema}, pool of ${WORKERS}` : 'PGlite in a temp folder'}, ` +
          `${store.persons.toLocaleString('en-US')} persons; probe case checked (IN_CARE, PAI, Barthel 82)`,
      );

      // 1. Twenty social workers open case files at once, each one after the other.
      const openSamples: number[] = [];
      const started = performance.now();
      await Promise.all(
        workers.map(async (actor, w) => {
          for (let i = 0; i < CASES_PER_WORKER; i++) {
            const t0 = performance.now();
            await openWithDossier(db, actor, intakes[w * CASES_PER_WORKER + i]!);
            openSamples.push(performance.now() - t0);
          }
        }),
      );
      const openWall = performance.now() - started;
      const [opened] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_file`);
      if (opened!.n !== cases + 1)
        throw new Error(`${opened!.n} case files, expected ${cases + 1}`);

      // 2. A full case file with 200 diary entries (and its sections), loaded again and again.
      const reader = workers[1]!;
      const full = await openWithDossier(db, reader, (await proposals(db, 1))[0]!);
      for (let i = 0; i < DIARY_ENTRIES - 4; i++) {
        await addDiaryEntry(db, reader, full, {
          type: i % 3 ? 'NOTE' : 'INTERVIEW',
          on: day(-(i % 300)),
          text: `Voce di diario ${i}: aggiornamento sulla situazione della persona e sui contatti con la rete.`,
        });
      }
      await addIsee(db, reader, full, {
        iseeType: 'ORDINARIO',
        iseeValue: 8123.45,
        validFrom: day(-30),
        validTo: day(300),
      });
      const whole = await getCaseFile(db, reader, full);
      if (whole.diary.length < DIARY_ENTRIES)
        throw new Error(`the case file has ${whole.diary.length} diary entries`);
      for (let i = 0; i < 20; i++) await getCaseFile(db, reader, full);
      const loadSamples: number[] = [];
      const loadStarted = performance.now();
      for (let i = 0; i < LOADS; i++) {
        const t0 = performance.now();
        await getCaseFile(db, reader, full);
        loadSamples.push(performance.now() - t0);
      }
      const loadWall = performance.now() - loadStarted;
      const p95 = percentile(
        [...loadSamples].sort((a, b) => a - b),
        95,
      );
      notes.unshift(
        `full case file (${whole.diary.length} diary entries, PAI, assessments, ISEE…) p95 ${p95} ms: ` +
          `target < ${LOAD_TARGET_P95_MS} ms ${p95 < LOAD_TARGET_P95_MS ? 'met' : 'NOT met'}`,
      );
      const [audit] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity = 'CaseFile' AND action = 'READ' AND outcome = 'OK'`,
      );
      notes.push(
        `opening = openCaseFile (first interview, 2 problems) + home visit + diary note + Barthel + PAI ` +
          `(2 goals, 1 intervention, 2 reviews): 5 transactions; every load writes its audit row ` +
          `(${audit!.n.toLocaleString('en-US')} READ rows)`,
      );
      return {
        title: 'Case file: opening with the dossier (20 social workers at once), loading it whole',
        rows: [
          figures(
            `open case file + dossier, ${WORKERS} workers × ${CASES_PER_WORKER}`,
            openSamples,
            openWall,
          ),
          figures(
            `load full case file (${whole.diary.length} diary entries), one at a time`,
            loadSamples,
            loadWall,
          ),
        ],
        notes,
      };
    } finally {
      await db.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    if (DATABASE_URL) {
      const db = await openDb({ kind: 'postgres', url: DATABASE_URL });
      await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  }
}
