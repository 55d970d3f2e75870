import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFlowDescriptors } from './siuss-flow-schema.generate.ts';
import { FLOW_ATTRIBUTES, FLOW_CODE_LISTS } from './siuss-flow-schema.ts';

const XSD = fileURLToPath(
  new URL('../../data/reference/siuss/PS_PSA_SINA201812.xsd', import.meta.url),
);

describe('SIUSS flow schema descriptors', () => {
  it("should match INPS's XSD attribute by attribute and code by code", () => {
    const fresh = buildFlowDescriptors(readFileSync(XSD, 'utf8'));
    expect(FLOW_ATTRIBUTES).toEqual(fresh.attributes);
    expect(FLOW_CODE_LISTS).toEqual(fresh.codeLists);
  });

  it('should know only insertion and cancellation as operations', () => {
    expect(FLOW_CODE_LISTS.TipoOperazioneType.map((c) => c.code)).toEqual(['I', 'C']);
  });
});
