import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FLOW_HEADER,
  inCareWithSina,
  occasionalBenefit,
  periodicBenefit,
  psRecord,
  sinbaRecord,
} from './siuss.fixtures.ts';
import { buildFlow } from './siuss-flow.ts';
import { FLOW_XSD } from './siuss-flow-validate.ts';
import { escapeXml, flowToString } from './siuss-flow-writer.ts';
import type { PsRecord } from './siuss-record.ts';

const SINBA_HEADER = { ...FLOW_HEADER, Nome: 'G478.SINBA.20260115.0000001' };

/** xmllint on a file, as an operator would run it on the file downloaded for upload. */
function xmllintFile(kind: keyof typeof FLOW_XSD, xml: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'siuss-')), 'flow.xml');
  writeFileSync(file, xml);
  return spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD[kind], file], { encoding: 'utf8' });
}

describe('SIUSS flow writer and validation', () => {
  it('should write PS and SINBA flows that xmllint accepts', async () => {
    const records: PsRecord[] = [
      psRecord(1),
      psRecord(2, [occasionalBenefit('B2'), inCareWithSina('B3')]),
      psRecord(3, [periodicBenefit('B4', { TipoOperazione: 'C' })]),
    ];
    let xml = '';
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, records, {
      output: (c) => {
        xml += c;
      },
    });
    expect(report).toEqual({ valid: true, records: 3, benefits: 4, issues: [], droppedIssues: 0 });
    expect(xmllintFile('PS_PSA_SINA', xml).status).toBe(0);
    expect(xml).toContain('TipoOperazione="C"');
    expect(xml).toContain('<InvCiv>2</InvCiv>');

    let sinbaXml = '';
    const sinba = await buildFlow('SINBA', SINBA_HEADER, [sinbaRecord(1), sinbaRecord(2)], {
      output: (c) => {
        sinbaXml += c;
      },
    });
    expect(sinba.valid).toBe(true);
    expect(xmllintFile('SINBA', sinbaXml).status).toBe(0);
  });

  it('should escape what XML reserves and keep one line per benefit', async () => {
    expect(escapeXml('Rossi & "Figli" <s.r.l.>\nVia')).toBe(
      'Rossi &amp; &quot;Figli&quot; &lt;s.r.l.&gt;&#10;Via',
    );
    const r = psRecord(1);
    r.Anagrafica.Cognome = 'D\'Amico & <Rossi>\n"bis"';
    const xml = await flowToString('PS_PSA_SINA', FLOW_HEADER, [r, psRecord(2)]);
    expect(xml.split('\n')).toHaveLength(3 + 2 * 2 + 1 + 1);
    expect(xmllintFile('PS_PSA_SINA', xml).status).toBe(0);
    // The value survives the round trip: xmllint reads back exactly what was written.
    const dump = spawnSync(
      'xmllint',
      ['--xpath', 'string(//*[local-name()="Anagrafica"][1]/@Cognome)', '-'],
      {
        input: xml,
        encoding: 'utf8',
      },
    );
    expect(dump.stdout.replace(/\n$/, '')).toBe('D\'Amico & <Rossi>\n"bis"');
  });

  it('should catch a deliberately broken record and name it, its benefit and why', async () => {
    const broken = psRecord(2, [
      periodicBenefit('OK-1'),
      // Past the pre-validation rules (nothing cross-field is wrong): only the XSD refuses it.
      periodicBenefit('BAD-1', { PresenzaProvaMezzi: '7' as '1', PeriodoErogazione: 13 }),
    ]);
    const sinaBroken = psRecord(3, [inCareWithSina('BAD-2')]);
    sinaBroken.PrestazioniSociali[0]!.SINA!.Mobilita = '4' as '1';
    const badCf = psRecord(4);
    badCf.CodiceFiscale = 'NONVALIDO';
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, [
      psRecord(1),
      broken,
      sinaBroken,
      badCf,
      psRecord(5),
    ]);
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => [i.record, i.benefit, i.field, i.code])).toEqual([
      ['R2', 'BAD-1', 'PrestazioniSociali[1].PresenzaProvaMezzi', 'SCHEMA'],
      ['R2', 'BAD-1', 'PrestazioniSociali[1].PeriodoErogazione', 'SCHEMA'],
      ['R3', 'BAD-2', 'PrestazioniSociali[0].SINA.Mobilita', 'SCHEMA'],
      ['R4', null, 'CodiceFiscale', 'SCHEMA'],
    ]);
    expect(report.issues[0]!.message).toContain("'7'");
  });

  it('should report the rules and the schema together, and refuse an empty flow', async () => {
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, [
      psRecord(1, [periodicBenefit('X', { ImportoMensile: Number.NaN })]),
    ]);
    expect(report.issues.map((i) => [i.code, i.field])).toEqual([
      ['AMOUNT_NOT_POSITIVE', 'PrestazioniSociali[0].ImportoMensile'],
      ['SHARES_MISMATCH', 'PrestazioniSociali[0].ImportoQuotaEnte'],
      ['SCHEMA', 'PrestazioniSociali[0].ImportoMensile'],
    ]);
    const empty = await buildFlow('PS_PSA_SINA', FLOW_HEADER, []);
    expect(empty.valid).toBe(false);
    expect(empty.issues[0]).toMatchObject({ record: 'IdentificazioneFlusso', code: 'SCHEMA' });
  });

  it('should stream: chunks come out before the records end', async () => {
    let produced = 0;
    let chunksBeforeEnd = 0;
    async function* many() {
      for (let i = 0; i < 3000; i++) {
        produced++;
        yield psRecord(i);
      }
    }
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, many(), {
      output: () => {
        if (produced < 3000) chunksBeforeEnd++;
      },
    });
    expect(report.valid).toBe(true);
    expect(chunksBeforeEnd).toBeGreaterThan(3);
  });

  it('should validate a large flow in two parts and still name the records at fault', async () => {
    async function* many() {
      for (let i = 0; i < 3000; i++) {
        const r = psRecord(i);
        if (i === 17 || i === 2500) r.PrestazioniSociali[0]!.ImportoMensile = Number.NaN;
        if (i === 2999) r.Anagrafica.AnnoNascita = '19';
        yield r;
      }
    }
    const pids: number[] = [];
    let xml = '';
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, many(), {
      parallel: 2,
      onValidatorSpawn: (pid) => pids.push(pid),
      output: (c) => {
        xml += c;
      },
    });
    expect(pids).toHaveLength(2);
    expect(
      report.issues.filter((i) => i.code === 'SCHEMA').map((i) => [i.record, i.field]),
    ).toEqual([
      ['R17', 'PrestazioniSociali[0].ImportoMensile'],
      ['R2500', 'PrestazioniSociali[0].ImportoMensile'],
      ['R2999', 'Anagrafica.AnnoNascita'],
    ]);
    // The document that leaves is one whole flow, and xmllint on it finds the same records.
    const whole = xmllintFile('PS_PSA_SINA', xml);
    expect(whole.status).toBe(3);
    expect(whole.stderr.match(/validity error/g)).toHaveLength(3);
  });

  it('should refuse a record holding a character XML forbids, naming its fields, written or not', async () => {
    const r = psRecord(2, [
      periodicBenefit('CC-1', { DenominazionePrestazione: 'Assistenza\u0007' }),
    ]);
    r.Anagrafica.Nome = 'Ma\u0000rio';
    let xml = '';
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, [psRecord(1), r, psRecord(3)], {
      output: (c) => {
        xml += c;
      },
    });
    expect(report.valid).toBe(false);
    expect(
      report.issues
        .filter((i) => i.code === 'INVALID_CHARACTER')
        .map((i) => [i.record, i.field])
        .sort(),
    ).toEqual([
      ['R2', 'Anagrafica.Nome'],
      ['R2', 'PrestazioniSociali[0].DenominazionePrestazione'],
    ]);
    // The document stays well formed (the character is replaced), and only R2 is at fault.
    expect(xml).toContain('Ma\uFFFDrio');
    expect(new Set(report.issues.map((i) => i.record))).toEqual(new Set(['R2']));
  });

  it('should take records in pages, as a store reads them, and name them as one by one', async () => {
    async function* pages() {
      for (let p = 0; p < 3; p++)
        yield Array.from({ length: 700 }, (_, k) => {
          const r = psRecord(p * 700 + k);
          if (p * 700 + k === 1500) r.PrestazioniSociali[0]!.PeriodoErogazione = 13;
          return r;
        });
    }
    let xml = '';
    const report = await buildFlow('PS_PSA_SINA', FLOW_HEADER, pages(), {
      parallel: 2,
      output: (c) => {
        xml += c;
      },
    });
    expect(report.records).toBe(2100);
    expect(report.issues.map((i) => [i.record, i.field])).toEqual([
      ['R1500', 'PrestazioniSociali[0].PeriodoErogazione'],
    ]);
    expect(xml.match(/<Beneficiario /g)).toHaveLength(2100);
    const one = await flowToString('PS_PSA_SINA', FLOW_HEADER, [psRecord(1500)]);
    expect(xml).toContain(one.split('\n')[3]!);
  });
});
