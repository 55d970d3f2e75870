import { describe, expect, it } from 'vitest';
import { conditions } from './conditions.ts';

describe('conditions', () => {
  it('should carry only the conditions added, numbering their values in order', () => {
    const c = conditions(['(i.organization_id = ANY($1::uuid[]))'], [['org']]);
    c.add((p) => `d.person_id = ${p}`, 'person');
    c.push(`d.status = ${c.param('RECORDED')}`);
    c.add((p) => `(i.service_code = ${p} OR i.standard_service_code = ${p})`, 'A2.07');
    expect(c.sql()).toBe(
      '(i.organization_id = ANY($1::uuid[])) AND d.person_id = $2 AND d.status = $3 AND (i.service_code = $4 OR i.standard_service_code = $4)',
    );
    expect(c.params).toEqual([['org'], 'person', 'RECORDED', 'A2.07']);
    expect(`LIMIT ${c.param(20)}`).toBe('LIMIT $5');
  });

  it('should answer true with no condition at all', () => {
    expect(conditions().sql()).toBe('true');
  });
});
