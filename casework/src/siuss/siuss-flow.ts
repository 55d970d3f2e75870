// One pass over the records: the rules check each record, the writer turns it into XML, and
// xmllint validates the stream as it is written. The report names every bad record and why, by
// its key; a flow with any bad record is not valid, and an invalid flow is never offered.

import type { Queryable } from '../db/db.ts';
import { todayInRome } from '../time/today.ts';
import { checkPsRecord, checkSinbaRecord, psTextIssues, type SiussIssue } from './siuss.rules.ts';
import { nextFlowNumbers, type Sender } from './siuss-duty.store.ts';
import { validateFlow } from './siuss-flow-validate.ts';
import { type RecordSource, writeFlow } from './siuss-flow-writer.ts';
import {
  type FlowHeader,
  type FlowKind,
  flowName,
  type PsRecord,
  type RecordOf,
  type SinbaRecord,
} from './siuss-record.ts';

/**
 * The numbering of the flows a build is about to write: the first ts_flusso (ms) and the header
 * of its n-th flow of the day, named as INPS names them, with the sender's data.
 */
export async function numberFlows(q: Queryable, sender: Sender, kind: FlowKind) {
  const day = todayInRome();
  const prefix = flowName(sender.enteCode, kind, day, 0).slice(0, -7);
  const numbers = await nextFlowNumbers(q, prefix);
  const header = (n: number): FlowHeader => ({
    Nome: flowName(sender.enteCode, kind, day, numbers.progressive + n),
    Ente: {
      Codice: sender.enteCode,
      Denominazione: sender.name,
      Indirizzo: sender.seatCadastralCode,
      CFOperatore: sender.operatorTaxCode,
    },
  });
  return { ts: numbers.ts, header };
}

export type FlowReport = {
  valid: boolean;
  records: number;
  benefits: number;
  /** The rules' issues first (in record order), then the schema's. */
  issues: SiussIssue[];
  /** Issues past the cap, counted only. */
  droppedIssues: number;
};

export type BuildFlowOptions = {
  /**
   * The key of the record at an ordinal (and of its benefit), to name the records the schema
   * refuses. Default: the keys are remembered as the records pass (fine for small flows; a
   * million-record batch passes a resolver that reads them back instead).
   */
  resolveKey?: (ordinal: number, benefit: number) => { record: string; benefit: string | null };
  /** Receives the XML as it is produced (a string to keep). */
  output?: (chunk: string) => void | Promise<void>;
  /**
   * Receives the XML as the UTF-8 bytes xmllint reads (a file: encoded once, not twice). The chunk
   * is lent: it is filled again once the call returns or its promise resolves (copy to keep it).
   */
  outputBytes?: (chunk: Buffer) => void | Promise<void>;
  maxIssues?: number;
  onValidatorSpawn?: (pid: number) => void;
  /** xmllint processes (see validateFlow). */
  parallel?: number;
};

// Attributes of the record's own element are named bare; those of a nested one (Anagrafica,
// SINA, Indirizzo) under its name.
const RECORD_ELEMENTS = new Set(['Beneficiario', 'PrestazioniSociali', 'SINBA']);
function fieldOf(element: string | null, attribute: string | null): string {
  if (!element) return attribute ?? 'Flusso';
  if (RECORD_ELEMENTS.has(element)) return attribute ?? element;
  return attribute ? `${element}.${attribute}` : element;
}

export async function buildFlow<K extends FlowKind>(
  kind: K,
  header: FlowHeader,
  records: RecordSource<RecordOf<K>>,
  options: BuildFlowOptions = {},
): Promise<FlowReport> {
  const max = options.maxIssues ?? 10_000;
  const issues: SiussIssue[] = [];
  let dropped = 0;
  let count = 0;
  let benefits = 0;
  const remembered: { record: string; benefits: string[] }[] | null = options.resolveKey
    ? null
    : [];
  // The rules run on each record as the writer takes it (no generator in between: a million
  // records would pay an await each).
  const keep = (found: SiussIssue[]) => {
    for (let i = 0; i < found.length; i++) {
      if (issues.length < max) issues.push(found[i]!);
      else dropped++;
    }
  };
  const check = (r: RecordOf<K>) => {
    count++;
    // PS: the characters XML refuses are looked for by the writer, which escapes every value.
    keep(
      kind === 'SINBA' ? checkSinbaRecord(r as SinbaRecord) : checkPsRecord(r as PsRecord, false),
    );
    if (kind === 'SINBA') {
      benefits++;
      remembered?.push({ record: r.key, benefits: [] });
    } else {
      const ps = (r as PsRecord).PrestazioniSociali;
      benefits += ps.length;
      remembered?.push({ record: r.key, benefits: ps.map((p) => p.key) });
    }
  };
  const schema = await validateFlow(
    kind,
    writeFlow(kind, header, records, {
      onRecord: check,
      ...(kind === 'SINBA' ? {} : { onInvalidText: (r) => keep(psTextIssues(r as PsRecord)) }),
    }),
    {
      maxViolations: max,
      ...(options.output ? { tee: options.output } : {}),
      ...(options.outputBytes ? { teeBytes: options.outputBytes } : {}),
      ...(options.onValidatorSpawn ? { onSpawn: options.onValidatorSpawn } : {}),
      ...(options.parallel ? { parallel: options.parallel } : {}),
    },
  );
  const resolve =
    options.resolveKey ??
    ((ordinal: number, benefit: number) => {
      const r = remembered![ordinal]!;
      return { record: r.record, benefit: benefit >= 0 ? (r.benefits[benefit] ?? null) : null };
    });
  for (const v of schema.violations) {
    if (issues.length >= max) {
      dropped++;
      continue;
    }
    const at = v.ordinal === null ? null : resolve(v.ordinal, v.benefit ?? -1);
    const where =
      kind === 'SINBA' || v.benefit === null || v.benefit < 0
        ? ''
        : `PrestazioniSociali[${v.benefit}].`;
    issues.push({
      record: at?.record ?? 'IdentificazioneFlusso',
      benefit: at?.benefit ?? null,
      field: `${where}${fieldOf(v.element, v.attribute)}`,
      code: 'SCHEMA',
      message: v.message,
    });
  }
  return {
    valid: schema.valid && issues.length === 0 && dropped === 0 && count > 0,
    records: count,
    benefits,
    issues,
    droppedIssues: dropped + schema.droppedViolations,
  };
}
