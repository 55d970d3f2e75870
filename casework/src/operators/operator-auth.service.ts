import type {
  ClientActor,
  Membership,
  OperatorActor,
  Origin,
  Role,
  SensitiveGroup,
} from '../access/actor.ts';
import { SYSTEM_ACTOR } from '../access/actor.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import { verifyPassword } from './password.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** Failures on an account, from all sources, before each further one slows it down. */
export const ACCOUNT_BACKOFF_AFTER = 10;
export const ACCOUNT_BACKOFF_MAX_SECONDS = 60;

type OperatorRow = {
  id: string;
  passwordHash: string;
  active: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  sourceLockedUntil: Date | null;
};

/**
 * The source a throttle or lockout counts by: the IPv4 address, or the /64 network of an IPv6
 * one (a single subscriber gets a whole /64, so counting addresses would count nothing).
 */
export function sourceOf(origin: Origin): string {
  const ip = origin.ip;
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  if (ip.includes('.')) return ip.slice(ip.lastIndexOf(':') + 1); // IPv4-mapped
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const secondsUntil = (d: Date | null) =>
  d && d.getTime() > Date.now() ? Math.ceil((d.getTime() - Date.now()) / 1000) : 0;

/**
 * Checks an operator's password; every attempt is audited. Unknown user and wrong password give
 * the same error, so the answer does not reveal which usernames exist.
 *
 * Lockout is per account and source (the caller's address): after MAX_FAILED_LOGINS wrong
 * passwords in a row from one source, that source is locked out of the account for
 * LOCKOUT_MINUTES. A lock on the whole account would let anyone lock the real user out with five
 * requests; instead, past ACCOUNT_BACKOFF_AFTER failures from all sources together, each further
 * one makes the account wait (doubling, at most ACCOUNT_BACKOFF_MAX_SECONDS): guessing spread
 * over many sources stays slow, and the real user waits a minute at worst.
 */
export async function authenticateOperator(
  db: Db,
  username: string,
  password: string,
  origin: Origin,
): Promise<{ operatorId: string }> {
  const actor = { ...SYSTEM_ACTOR, id: username, origin };
  const source = sourceOf(origin);
  const rows = await db.query<OperatorRow>(
    `SELECT o.id, o.password_hash AS "passwordHash", o.active, o.failed_logins AS "failedLogins",
            o.locked_until AS "lockedUntil", f.locked_until AS "sourceLockedUntil"
       FROM operator o
       LEFT JOIN operator_login_failure f ON f.operator_id = o.id AND f.source = $2
      WHERE o.username = $1`,
    [username.trim().toLowerCase(), source],
  );
  const op = rows[0];
  const fail = async (
    code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED',
    reason: string,
    count = false,
    retryAfterSeconds = 0,
  ) => {
    let locked = false;
    await db.transaction(async (tx) => {
      if (op && count) {
        const [f] = await tx.query<{ failures: number }>(
          `INSERT INTO operator_login_failure AS f (operator_id, source, failures, last_at)
           VALUES ($1, $2, 1, now())
           ON CONFLICT (operator_id, source) DO UPDATE
             SET failures = f.failures + 1, last_at = now(),
                 locked_until = CASE WHEN f.failures + 1 >= $3
                                     THEN now() + make_interval(mins => $4) END
           RETURNING failures`,
          [op.id, source, MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
        );
        locked = (f?.failures ?? 0) >= MAX_FAILED_LOGINS;
        await tx.query(
          `UPDATE operator SET failed_logins = failed_logins + 1,
             locked_until = CASE WHEN failed_logins + 1 > $2
               THEN now() + make_interval(secs => least(power(2, failed_logins + 1 - $2 - 1), $3))
               ELSE locked_until END
           WHERE id = $1`,
          [op.id, ACCOUNT_BACKOFF_AFTER, ACCOUNT_BACKOFF_MAX_SECONDS],
        );
      }
      await audit(tx, actor, {
        action: 'LOGIN',
        entity: 'Operator',
        entityId: op?.id ?? null,
        outcome: 'DENIED',
        reason: locked ? 'wrong password, source locked' : reason,
      });
    });
    const finalCode = locked ? 'ACCOUNT_LOCKED' : code;
    const wait = locked ? LOCKOUT_MINUTES * 60 : retryAfterSeconds;
    return new CaseworkError(
      finalCode,
      finalCode === 'ACCOUNT_LOCKED'
        ? `accesso bloccato per troppi tentativi falliti: riprovare tra ${Math.ceil(wait / 60)} minuti`
        : 'nome utente o password non corretti',
      undefined,
      finalCode === 'ACCOUNT_LOCKED' ? { retryAfterSeconds: wait } : undefined,
    );
  };
  if (!op?.active) {
    // Spend the same time as a real check so timing does not tell which usernames exist.
    await verifyPassword(DUMMY_HASH, password);
    throw await fail('INVALID_CREDENTIALS', op ? 'inactive account' : 'unknown username');
  }
  const sourceWait = secondsUntil(op.sourceLockedUntil);
  if (sourceWait > 0)
    throw await fail('ACCOUNT_LOCKED', 'locked for this source', false, sourceWait);
  const accountWait = secondsUntil(op.lockedUntil);
  if (accountWait > 0) throw await fail('ACCOUNT_LOCKED', 'account backoff', false, accountWait);
  if (!(await verifyPassword(op.passwordHash, password)))
    throw await fail('INVALID_CREDENTIALS', 'wrong password', true);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE operator SET failed_logins = 0, locked_until = NULL WHERE id = $1', [
      op.id,
    ]);
    // Only this source's count: a success elsewhere must not wipe a guesser's lock.
    await tx.query('DELETE FROM operator_login_failure WHERE operator_id = $1 AND source = $2', [
      op.id,
      source,
    ]);
    await audit(
      tx,
      { ...actor, id: username },
      { action: 'LOGIN', entity: 'Operator', entityId: op.id, outcome: 'OK' },
    );
  });
  return { operatorId: op.id };
}

// argon2id hash of a random string, used only to equalise timing for unknown usernames.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$7FoBWN7TfIAyGhh3fwDz+g$5wliBlzn8VwIqYlZid6M1wv6hiZfsR4TiWQIGR43qRI';

/** Organisations below the given ones (inclusive): a union's operator sees its municipalities. */
async function withDescendants(q: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{ id: string }>(
    `WITH RECURSIVE tree AS (
       SELECT id FROM organization WHERE id = ANY($1::uuid[])
       UNION SELECT o.id FROM organization o JOIN tree t ON o.parent_id = t.id)
     SELECT id FROM tree`,
    [ids],
  );
  return rows.map((r) => r.id);
}

export async function loadOperatorActor(
  q: Queryable,
  operatorId: string,
  origin: Origin,
): Promise<OperatorActor | null> {
  const ops = await q.query<{ username: string }>(
    'SELECT username FROM operator WHERE id = $1 AND active',
    [operatorId],
  );
  if (!ops[0]) return null;
  const memberships = await q.query<Membership>(
    `SELECT m.office_id AS "officeId", o.organization_id AS "organizationId", m.role,
            m.contact_point_id AS "contactPointId",
            COALESCE(dp.masked_groups, '{}') AS "maskedGroups"
       FROM membership m
       JOIN office o ON o.id = m.office_id
       LEFT JOIN contact_point cp ON cp.id = m.contact_point_id
       LEFT JOIN desk_profile dp ON dp.code = cp.desk_profile_code
      WHERE m.operator_id = $1`,
    [operatorId],
  );
  return {
    kind: 'OPERATOR',
    id: operatorId,
    username: ops[0].username,
    memberships: memberships.map((m) => ({
      ...m,
      role: m.role as Role,
      maskedGroups: m.maskedGroups as SensitiveGroup[],
    })),
    organizationIds: await withDescendants(q, [
      ...new Set(memberships.map((m) => m.organizationId)),
    ]),
    origin,
  };
}

type ClientRow = {
  id: string;
  clientId: string;
  organizationId: string;
  secretHash: string;
  scopes: string[];
  rateLimitPerMinute: number;
  active: boolean;
};

export async function authenticateClient(
  db: Db,
  clientId: string,
  secret: string,
  origin: Origin,
): Promise<{ client: ClientActor; rateLimitPerMinute: number }> {
  const rows = await db.query<ClientRow>(
    `SELECT id, client_id AS "clientId", organization_id AS "organizationId",
            secret_hash AS "secretHash", scopes, rate_limit_per_minute AS "rateLimitPerMinute", active
       FROM partner_client WHERE client_id = $1`,
    [clientId],
  );
  const row = rows[0];
  const ok = row?.active
    ? await verifyPassword(row.secretHash, secret)
    : await verifyPassword(DUMMY_HASH, secret);
  const actor = { ...SYSTEM_ACTOR, id: clientId, origin };
  await db.transaction((tx) =>
    audit(tx, actor, {
      action: 'TOKEN',
      entity: 'PartnerClient',
      entityId: row?.id ?? null,
      outcome: ok && row ? 'OK' : 'DENIED',
    }),
  );
  if (!ok || !row)
    throw new CaseworkError('INVALID_CREDENTIALS', 'credenziali del client non valide');
  return {
    client: await loadClientActor(db, row.id, origin, row),
    rateLimitPerMinute: row.rateLimitPerMinute,
  };
}

export async function loadClientActor(
  q: Queryable,
  id: string,
  origin: Origin,
  known?: ClientRow,
): Promise<ClientActor> {
  const row =
    known ??
    (
      await q.query<ClientRow>(
        `SELECT id, client_id AS "clientId", organization_id AS "organizationId", scopes,
                rate_limit_per_minute AS "rateLimitPerMinute", active, '' AS "secretHash"
           FROM partner_client WHERE id = $1`,
        [id],
      )
    )[0];
  if (!row) throw new CaseworkError('INVALID_CREDENTIALS', 'client sconosciuto');
  return {
    kind: 'CLIENT',
    id: row.id,
    clientId: row.clientId,
    organizationId: row.organizationId,
    organizationIds: await withDescendants(q, [row.organizationId]),
    scopes: row.scopes,
    origin,
  };
}

/** Whether a partner client may still act: checked on every request its tokens make. */
export async function isClientActive(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query<{ active: boolean }>(
    'SELECT active FROM partner_client WHERE id = $1',
    [id],
    { prepared: true },
  );
  return rows[0]?.active === true;
}

export async function revokeToken(q: Queryable, jti: string, expiresAt: Date): Promise<void> {
  await q.query('DELETE FROM revoked_token WHERE expires_at < now()');
  await q.query(
    'INSERT INTO revoked_token (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [jti, expiresAt],
  );
}

export async function isTokenRevoked(q: Queryable, jti: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM revoked_token WHERE jti = $1', [jti])).length > 0;
}
