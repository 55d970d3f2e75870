import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { FLOW_XSD } from '../siuss/siuss-flow-validate.ts';
import { loadDemoRegion } from './demo.service.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await loadDemoRegion(db, {
    password: 'demo-test',
    persons: 500,
    seed: 7,
    batchSize: 500,
    intake: { recordsPerThousandResidents: 1 },
    cases: {},
    deliveries: {},
  });
}, 600_000);
afterAll(() => db.close());

describe('the demo year’s SIUSS duty', () => {
  it('should have sent valid flows that INPS took and answered, some with rejections', async () => {
    const flows = await db.query<{
      id: string;
      kind: 'PS_PSA_SINA' | 'SINBA';
      status: string;
      xml: string;
    }>(
      `SELECT f.id, f.kind, f.status,
              (SELECT string_agg(p.xml, '' ORDER BY p.seq) FROM siuss_flow_part p
                WHERE p.flow_id = f.id) AS xml
         FROM siuss_flow f WHERE f.status <> 'INVALID' ORDER BY f.ts_ms`,
    );
    expect(flows.length).toBeGreaterThan(10);
    expect(new Set(flows.map((f) => f.status))).toEqual(new Set(['ACCEPTED', 'REJECTED']));
    // The minors' SInBA assessments went too, as SINBA flows: each one older than a month of an
    // organisation that sends (at this demo's scale there may be none) is in a flow.
    const [sinba] = await db.query<{ assessed: number; sent: number }>(
      `SELECT count(*)::int AS assessed,
              count(*) FILTER (WHERE d.state IN ('SENT', 'ACCEPTED', 'REJECTED'))::int AS sent
         FROM assessment a JOIN case_file cf ON cf.id = a.case_file_id
         JOIN siuss_sender s ON s.organization_id = cf.organization_id
         LEFT JOIN siuss_sinba_duty d ON d.assessment_id = a.id
        WHERE a.kind = 'SINBA' AND a.assessed_on < current_date - 30`,
    );
    expect(sinba!.sent).toBe(sinba!.assessed);
    expect(flows.filter((f) => f.kind === 'SINBA').length).toBe(sinba!.sent);
    // Every flow that left validates against its INPS XSD (one xmllint per kind over its files).
    const dir = mkdtempSync(join(tmpdir(), 'siuss-demo-'));
    try {
      for (const kind of ['PS_PSA_SINA', 'SINBA'] as const) {
        const mine = flows.filter((f) => f.kind === kind);
        if (mine.length === 0) continue; // no SINBA flow to check (counted above)
        const files = mine.map((f) => {
          const file = join(dir, `${f.id}.xml`);
          writeFileSync(file, f.xml);
          return file;
        });
        const check = spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD[kind], ...files], {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(check.status, check.stderr.slice(0, 2000)).toBe(0);
        expect(check.stderr.match(/ validates$/gm)).toHaveLength(mine.length);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should leave rejections to correct, the last month due, and what is late overdue', async () => {
    const [c] = await db.query<{
      rejected: number;
      due: number;
      recentDue: number;
      accepted: number;
    }>(
      `SELECT count(*) FILTER (WHERE state = 'REJECTED' AND rejection_reason IS NOT NULL)::int AS rejected,
              count(*) FILTER (WHERE state = 'DUE')::int AS due,
              count(*) FILTER (WHERE state = 'DUE' AND delivered_on >= current_date - 30)::int AS "recentDue",
              count(*) FILTER (WHERE state = 'ACCEPTED' AND held_by_inps)::int AS accepted
         FROM siuss_duty`,
    );
    expect(c!.rejected).toBeGreaterThan(0);
    expect(c!.accepted).toBeGreaterThan(c!.rejected);
    expect(c!.recentDue).toBeGreaterThan(0);
    const [late] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM siuss_duty
        WHERE deadline < current_date AND operation <> 'CANCEL' AND state IN ('DUE', 'IN_FLOW', 'REJECTED')`,
    );
    expect(late!.n).toBeGreaterThan(0);
  });

  it('should hold records INPS’s rules accept: the demo’s data leave almost none for correction', async () => {
    const [c] = await db.query<{ all: number; refused: number }>(
      `SELECT count(*)::int AS "all", count(*) FILTER (WHERE issues IS NOT NULL AND issues <> '[]')::int AS refused
         FROM siuss_duty`,
    );
    expect(c!.all).toBeGreaterThan(100);
    expect(c!.refused / c!.all).toBeLessThan(0.02);
  });
});
