import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, graphQLHttpOf, httpStatusOf } from './errors.ts';

describe('the error table', () => {
  it('should document every code in the README or docs/error-codes.md', () => {
    const docs =
      readFileSync(new URL('../../README.md', import.meta.url), 'utf8') +
      readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
    expect(ERROR_CODES.filter((code) => !docs.includes(`\`${code}\``))).toEqual([]);
  });

  it('should give GraphQL answers 401, 403 and 429 with Retry-After, and leave input errors at 200', () => {
    expect(graphQLHttpOf('UNAUTHENTICATED')).toEqual({ status: 401 });
    expect(graphQLHttpOf('FORBIDDEN')).toEqual({ status: 403 });
    expect(graphQLHttpOf('RATE_LIMITED', { retryAfterSeconds: 7 })).toEqual({
      status: 429,
      headers: { 'Retry-After': '7' },
    });
    expect(graphQLHttpOf('BAD_USER_INPUT')).toBeUndefined();
    expect(httpStatusOf('PAYLOAD_TOO_LARGE')).toBe(413);
  });
});
