import { describe, expect, it } from 'vitest';
import {
  emptyFilters,
  exportQuery,
  interventionFilter,
  isMasked,
  paging,
  parseNumber,
  recordDeliveryInput,
} from './delivery-view.ts';

describe('the interventions filter', () => {
  it('should send only the filled fields, trimmed, the service code in capitals, the dates as the API’s', () => {
    const f = {
      ...emptyFilters(),
      serviceCode: ' a2.08 ',
      status: 'ACTIVE',
      from: '1/1/2026',
      to: '31/02/2026',
    };
    expect(interventionFilter(f)).toEqual({
      serviceCode: 'A2.08',
      status: 'ACTIVE',
      from: '2026-01-01',
    });
  });

  it('should give the export the same filter as its query string', () => {
    expect(exportQuery({ status: 'ACTIVE', providerId: 'p 1' })).toBe(
      '?status=ACTIVE&providerId=p+1',
    );
    expect(exportQuery({})).toBe('');
  });
});

describe('paging', () => {
  it('should count pages and fall back to the last one past the end', () => {
    expect(paging(0, 1)).toEqual({ page: 1, pages: 1, offset: 0 });
    expect(paging(51, 3)).toEqual({ page: 3, pages: 3, offset: 50 });
    expect(paging(51, 9)).toEqual({ page: 3, pages: 3, offset: 50 });
    expect(paging(51, 0)).toEqual({ page: 1, pages: 3, offset: 0 });
  });
});

describe('the delivery form', () => {
  it('should read numbers typed the Italian way and the dotted way', () => {
    expect(parseNumber('1,5')).toBe(1.5);
    expect(parseNumber('1.234,50')).toBe(1234.5);
    expect(parseNumber('1.5')).toBe(1.5);
    expect(parseNumber(' ')).toBeNull();
    expect(parseNumber('due')).toBeNaN();
  });

  it('should name the field that is not a number and send nothing', () => {
    const v = { deliveredOn: '2026-11-30', quantity: 'due', amount: '', note: '' };
    expect(recordDeliveryInput('i1', v)).toEqual({ ok: false, field: 'quantity', empty: false });
    expect(recordDeliveryInput('i1', { ...v, quantity: '' })).toEqual({
      ok: false,
      field: 'quantity',
      empty: true,
    });
    expect(recordDeliveryInput('i1', { ...v, quantity: '2', amount: '1x' })).toMatchObject({
      ok: false,
      field: 'amount',
    });
  });

  it('should leave the amount out when empty so the tariff prices it', () => {
    const v = { deliveredOn: '2026-11-30', quantity: '2', amount: '', note: ' visita ' };
    expect(recordDeliveryInput('i1', v)).toEqual({
      ok: true,
      input: { interventionId: 'i1', deliveredOn: '2026-11-30', quantity: 2, note: 'visita' },
    });
  });
});

describe('masking', () => {
  it('should treat a field listed in maskedFields as absent', () => {
    expect(isMasked({ maskedFields: ['isee', 'userArea'] }, 'userArea')).toBe(true);
    expect(isMasked({ maskedFields: [] }, 'userArea')).toBe(false);
    expect(isMasked({}, 'isee')).toBe(false);
  });
});
