// Masked groups inside the case file (issue 8, defect 4): a desk that masks a sensitive group
// neither reads nor writes it. Reads leave the group out (maskCaseFile, maskAssessment, the diary
// and document queries); a write of the group is refused here.

import { type Actor, maskedGroupsOf, type SensitiveGroup } from '../access/actor.ts';
import { Refusal } from '../access/audited.ts';
import type { Queryable } from '../db/db.ts';
import type { CaseworkError } from '../errors.ts';
import type { CaseHeader } from './case-file.access.ts';

/**
 * When the actor's desk masks `group`, audits the refusal in `q` and returns FORBIDDEN naming
 * `field` (see inTransaction: nothing else has been written yet, so the store stays as it was);
 * null when the actor may write the group. The message carries no value of the input.
 */
export async function refuseMaskedWrite(
  _q: Queryable,
  actor: Actor,
  c: Pick<CaseHeader, 'id' | 'personId'>,
  entity: string,
  group: SensitiveGroup,
  field: string,
): Promise<CaseworkError | null> {
  if (!maskedGroupsOf(actor).has(group)) return null;
  throw new Refusal(
    'FORBIDDEN',
    'dato riservato: non visibile né modificabile da questo sportello',
    {
      action: 'CREATE',
      entity,
      entityId: c.id,
      personId: c.personId,
      reason: `group masked at the desk: ${group}`,
      details: { caseFileId: c.id, field, group },
    },
    field,
  );
}
