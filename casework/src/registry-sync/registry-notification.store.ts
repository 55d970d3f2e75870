import { today } from '../case-file/case-file.util.ts';
import type { Db, Queryable } from '../db/db.ts';

/**
 * A registry change as the connectors hand it over (structurally @hub/connectors'
 * AnprNotification; casework does not depend on that package): which change, when, and the
 * subject as the registry has it now, each field with its source.
 */
export type RegistryChange = {
  id: string;
  kind: 'CAMBIO_RESIDENZA' | 'DECESSO' | 'NUOVO_COMPONENTE';
  eventDate: string;
  person: {
    taxCode?: { value: string } | undefined;
    residence?:
      | {
          value: {
            municipalityIstat: string | null;
            municipalityName: string | null;
            address: string | null;
            postcode: string | null;
            since: string | null;
          };
        }
      | undefined;
  };
};

const FEED = 'ANPR-C001';
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function summaryOf(c: RegistryChange): string {
  const r = c.person.residence?.value;
  switch (c.kind) {
    case 'CAMBIO_RESIDENZA':
      return `Cambio di residenza dal ${ddmmyyyy(c.eventDate)}: ${[r?.address, r?.municipalityName].filter(Boolean).join(', ')}`;
    case 'DECESSO':
      return `Decesso registrato in anagrafe il ${ddmmyyyy(c.eventDate)}`;
    case 'NUOVO_COMPONENTE':
      return `Nuovo componente del nucleo familiare dal ${ddmmyyyy(c.eventDate)}`;
  }
}

/**
 * Applies one change to the person it names, in the caller's transaction: residence or death
 * date updated with ANPR as their source, and a notice on each of the person's open case files
 * (for its operators). A person not in the hub is recorded and left alone.
 */
async function applyChange(
  tx: Queryable,
  c: RegistryChange,
  stale: boolean,
): Promise<{ personId: string | null; applied: boolean }> {
  const taxCode = c.person.taxCode?.value ?? null;
  const [person] = taxCode
    ? await tx.query<{ id: string }>(
        `SELECT id FROM person WHERE tax_code = $1 AND deleted_at IS NULL`,
        [taxCode],
      )
    : [];
  const applied = person !== undefined && !stale;
  await tx.query(
    `INSERT INTO registry_notification (id, kind, event_date, tax_code, person_id, applied, stale)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.id, c.kind, c.eventDate, taxCode, person?.id ?? null, applied, stale],
  );
  if (!person || !applied) return { personId: person?.id ?? null, applied: false };
  if (c.kind === 'CAMBIO_RESIDENZA' && c.person.residence) {
    const r = c.person.residence.value;
    // A municipality outside the hub's territory is not in its table: the address is kept.
    await tx.query(
      `UPDATE person SET
         residence_municipality = (SELECT istat_code FROM municipality WHERE istat_code = $2),
         residence_address = $3,
         field_sources = field_sources || '{"residenceMunicipality":"ANPR","residenceAddress":"ANPR"}'::jsonb,
         updated_at = now()
       WHERE id = $1`,
      [person.id, r.municipalityIstat, [r.address, r.postcode].filter(Boolean).join(' ') || null],
    );
  }
  if (c.kind === 'DECESSO') {
    await tx.query(
      `UPDATE person SET death_date = $2, field_sources = field_sources || '{"deathDate":"ANPR"}'::jsonb, updated_at = now()
       WHERE id = $1`,
      [person.id, c.eventDate],
    );
  }
  // One notice per open case file, whoever is enabled on it now: the operators read it while
  // they are enabled on it, those enabled later too (person-change-notice.service.ts).
  await tx.query(
    `INSERT INTO person_change_notice (notification_id, person_id, case_file_id, kind, summary)
     SELECT $1, cf.person_id, cf.id, $2, $3
     FROM case_file cf
     WHERE cf.person_id = $4 AND cf.status <> 'CLOSED'
     ON CONFLICT DO NOTHING`,
    [c.id, c.kind, summaryOf(c), person.id],
  );
  return { personId: person.id, applied: true };
}

/**
 * The hub's side of the ANPR C001 feed, in its store (the connectors' NotificationStore): a
 * notification is recorded and applied in one transaction, so a duplicate, or a batch fetched
 * again after a crash, changes nothing the second time.
 */
export function createRegistryNotificationStore(db: Db) {
  return {
    async lastOperationId(): Promise<number> {
      const [row] = await db.query<{ last: number }>(
        `SELECT last_operation_id AS last FROM registry_feed_state WHERE feed = $1`,
        [FEED],
      );
      return row?.last ?? 0;
    },
    async setLastOperationId(id: number): Promise<void> {
      await db.query(
        `INSERT INTO registry_feed_state (feed, last_operation_id) VALUES ($1, $2)
         ON CONFLICT (feed) DO UPDATE SET last_operation_id = GREATEST(registry_feed_state.last_operation_id, $2), updated_at = now()`,
        [FEED, id],
      );
    },
    /** Applies the change and then `after` (the caller's own step), once per notification id. */
    async processOnce(c: RegistryChange, after: () => Promise<void>): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [seen] = await tx.query(
          `SELECT 1 FROM registry_notification WHERE id = $1 FOR UPDATE`,
          [c.id],
        );
        if (seen) return false;
        const taxCode = c.person.taxCode?.value ?? null;
        const [latest] = taxCode
          ? await tx.query<{ d: string | null }>(
              `SELECT max(event_date)::text AS d FROM registry_notification WHERE tax_code = $1 AND applied AND kind = $2`,
              [taxCode, c.kind],
            )
          : [];
        const stale = latest?.d != null && latest.d > c.eventDate;
        await applyChange(tx, c, stale);
        await after();
        return true;
      });
    },
    // Staleness is decided in processOnce from the recorded notifications, in its transaction.
    lastEventOf: async (_subject: string): Promise<string | null> => null,
    setLastEventOf: async (_subject: string, _date: string): Promise<void> => undefined,
  };
}

/**
 * The unread notices of an operator, newest first: those of the open case files they are
 * enabled on that they have not marked read (the service adds the organisation check).
 */
export async function unreadChangeNotices(q: Queryable, operatorId: string) {
  return q.query<{
    id: string;
    caseFileId: string;
    personId: string;
    kind: string;
    summary: string;
    createdAt: string;
  }>(
    `SELECT n.id, n.case_file_id AS "caseFileId", n.person_id AS "personId", n.kind, n.summary,
            n.created_at::text AS "createdAt"
       FROM person_change_notice n JOIN case_file cf ON cf.id = n.case_file_id
      WHERE cf.status <> 'CLOSED'
        AND EXISTS (SELECT 1 FROM case_operator co
                     WHERE co.case_file_id = n.case_file_id AND co.operator_id = $1
                       AND co.disabled_at IS NULL AND co.enabled_from <= $2::date)
        AND NOT EXISTS (SELECT 1 FROM person_change_notice_read r
                         WHERE r.notice_id = n.id AND r.operator_id = $1)
      ORDER BY n.created_at DESC, n.id`,
    [operatorId, today()],
  );
}
