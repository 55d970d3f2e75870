import { expect } from 'vitest';
import { CaseworkError } from '../errors.ts';

/** The domain error a promise is refused with; fails the test if it resolves or throws another. */
export async function refusal(p: Promise<unknown>): Promise<CaseworkError> {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CaseworkError);
  return err as CaseworkError;
}
