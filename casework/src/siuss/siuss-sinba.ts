// The SINBA flows (SINBA.xsd): what the SIUSS duty reports of the minors in care. Each SInBA
// assessment of a case file is one record, its data as the assessment service stored it (checked
// against the schema generated from SINBA.xsd, the attributes that come from the person filled
// in). They are checked by the rules and by xmllint in one pass, like the PS records; a WaaS flow
// carries one record, a file all of them. SINBA has no TipoOperazione: a record INPS refused is
// resent as it is once corrected, and a new assessment is a new record.

import type { Actor } from '../access/actor.ts';
import { audited } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import { siussOrganizationsOf } from './siuss.access.ts';
import { type SiussIssue, sameIssues } from './siuss.rules.ts';
import { flowPartWriter, insertFlows, type NewFlow, type Sender } from './siuss-duty.store.ts';
import type { OutcomeCode } from './siuss-duty.ts';
import { buildFlow, numberFlows } from './siuss-flow.ts';
import { flowToString } from './siuss-flow-writer.ts';
import type { SinbaRecord } from './siuss-record.ts';
import {
  selectSendableSinba,
  selectSinbaDuty,
  selectSinbaFlowDuties,
  updateSinbaDuty,
} from './siuss-sinba.store.ts';

/** Puts the due SINBA records of an organisation into flows (inside the flow build's transaction). */
export async function buildSinbaFlows(
  tx: Queryable,
  actor: Actor,
  input: { organizationId: string; route: 'WAAS' | 'FILE'; limit: number },
  sender: Sender,
): Promise<{ flowIds: string[] }> {
  const due = await selectSendableSinba(tx, input.organizationId, input.limit);
  if (due.length === 0) return { flowIds: [] };
  const records: SinbaRecord[] = due.map((d) => ({ ...d.data, key: d.assessmentId }));

  const numbers = await numberFlows(tx, sender, 'SINBA');
  const { header } = numbers;
  // A file flow is stored part by part while it is written and validated (its row follows).
  const parts = input.route === 'FILE' ? flowPartWriter(tx, header(0).Nome) : null;
  const report = await buildFlow('SINBA', header(0), records, {
    ...(parts ? { outputBytes: (c: Buffer) => parts.write(c) } : {}),
  });
  await parts?.end();
  if (report.droppedIssues > 0)
    throw new Error(`troppi errori nel flusso SINBA (${report.droppedIssues} non riportati)`);
  const issuesOf = new Map<string, SiussIssue[]>();
  for (const i of report.issues) issuesOf.set(i.record, [...(issuesOf.get(i.record) ?? []), i]);

  const flows: NewFlow[] = [];
  const assign = new Map<string, { flowId: string; valid: boolean }>();
  if (input.route === 'FILE') {
    const id = header(0).Nome;
    flows.push({
      id,
      organizationId: input.organizationId,
      kind: 'SINBA',
      route: 'FILE',
      status: report.valid ? 'VALID' : 'INVALID',
      records: [],
      recordCount: records.length,
      report: report.issues,
      tsMs: numbers.ts,
    });
    for (const d of due) assign.set(d.assessmentId, { flowId: id, valid: report.valid });
  } else {
    let n = 0;
    for (const [k, d] of due.entries()) {
      const issues = issuesOf.get(d.assessmentId) ?? [];
      // A record refused again for the same reasons gets no new invalid flow each time.
      if (issues.length > 0 && sameIssues(issues, d.issues)) continue;
      const h = header(n);
      flows.push({
        id: h.Nome,
        organizationId: input.organizationId,
        kind: 'SINBA',
        route: 'WAAS',
        status: issues.length === 0 ? 'VALID' : 'INVALID',
        records: [],
        recordCount: 1,
        xml: await flowToString('SINBA', h, [records[k]!]),
        report: issues,
        tsMs: numbers.ts + n++,
      });
      assign.set(d.assessmentId, { flowId: h.Nome, valid: issues.length === 0 });
    }
  }
  await insertFlows(tx, flows);
  for (const d of due) {
    const a = assign.get(d.assessmentId);
    if (!a) continue;
    const issues = issuesOf.get(d.assessmentId) ?? [];
    await updateSinbaDuty(tx, d.assessmentId, {
      state: a.valid ? 'IN_FLOW' : 'DUE',
      flowId: a.flowId,
      issues: issues.length > 0 ? issues : null,
    });
  }
  if (flows.length > 0)
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'SiussFlow',
      entityId: flows[0]!.id,
      outcome: 'OK',
      details: {
        kind: 'SINBA',
        route: input.route,
        flows: flows.length,
        invalid: flows.filter((f) => f.status === 'INVALID').length,
        records: due.length,
      },
    });
  return { flowIds: flows.map((f) => f.id) };
}

/** INPS's outcome of a SINBA flow, on the duties it still carries. */
export async function applySinbaOutcome(
  tx: Queryable,
  flowId: string,
  code: OutcomeCode,
  reason: string | null,
) {
  for (const d of await selectSinbaFlowDuties(tx, flowId))
    await updateSinbaDuty(
      tx,
      d.assessmentId,
      code === 'OK'
        ? { state: 'ACCEPTED', rejectionCode: null }
        : { state: 'REJECTED', rejectionCode: code, rejectionReason: reason },
    );
}

/**
 * A SINBA record INPS refused goes back to due, to leave in the next flow once the assessment is
 * put right. Whoever keeps no organisation's SIUSS duty is refused FORBIDDEN (audited here);
 * a duty of another organisation answers as an unknown one.
 */
export async function resendSiussSinbaDuty(db: Db, actor: Actor, assessmentId: string) {
  return audited(
    db,
    actor,
    { action: 'UPDATE', entity: 'SiussSinbaDuty', entityId: assessmentId, personId: null },
    async (tx, s) => {
      const mine = siussOrganizationsOf(actor);
      if (mine.length === 0)
        throw new CaseworkError(
          'FORBIDDEN',
          'il debito informativo SIUSS è del personale amministrativo e dei coordinatori',
        );
      const duty = await selectSinbaDuty(tx, assessmentId);
      if (!duty || !mine.includes(duty.organizationId))
        throw new CaseworkError('NOT_FOUND', 'debito SIUSS (SINBA) non trovato', 'assessmentId');
      s.personId = duty.personId;
      if (duty.state !== 'REJECTED')
        throw new CaseworkError(
          'INVALID_STATUS_TRANSITION',
          `si rinvia solo un record scartato da INPS (stato ${duty.state})`,
          'assessmentId',
        );
      await updateSinbaDuty(tx, assessmentId, { state: 'DUE', issues: null });
      await audit(tx, actor, {
        action: 'UPDATE',
        entity: 'SiussSinbaDuty',
        entityId: assessmentId,
        personId: duty.personId,
        outcome: 'OK',
      });
      return { assessmentId, state: 'DUE' as const };
    },
  );
}
