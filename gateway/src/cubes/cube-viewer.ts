import { type Actor, audit, CaseworkError, type Db } from '@hub/casework';
import { type Viewer, type Warehouse, WarehouseError } from '@hub/warehouse';
import { GatewayError } from '../errors.ts';

// Who may query the cubes, on which rows (DESIGN.md section 5, issue 10): a manager their
// organisations and their zona sociale, a regional planner the region; both without micro-data
// rights, so every number they get passes disclosure control. Everyone else is refused (the
// desks and social workers have the case store; partner clients have their own API).
// The zone sociali and regions come from the warehouse's organisation dimension.

export async function cubeViewerOf(
  db: Db,
  warehouse: Warehouse,
  actor: Actor | null,
): Promise<Viewer> {
  if (!actor) throw new GatewayError('UNAUTHENTICATED', 'autenticazione richiesta');
  if (actor.kind === 'SYSTEM') return { scope: { all: true }, protected: false };
  const roles = actor.kind === 'OPERATOR' ? actor.memberships.map((m) => m.role) : [];
  const manager = roles.includes('MANAGER');
  const planner = roles.includes('PLANNER');
  if (actor.kind !== 'OPERATOR' || (!manager && !planner)) {
    await audit(db, actor, {
      action: 'READ',
      entity: 'Cube',
      outcome: 'DENIED',
      reason: 'FORBIDDEN: cubes are for managers and planners',
    });
    throw new CaseworkError('FORBIDDEN', 'i cubi sono riservati a dirigenti e programmatori');
  }
  if (!(await warehouse.loadState()))
    throw new WarehouseError('WAREHOUSE_NOT_LOADED', 'il magazzino non è ancora stato caricato');
  const ids = actor.organizationIds;
  const managerOrgs = actor.memberships
    .filter((m) => m.role === 'MANAGER')
    .map((m) => m.organizationId);
  const rows =
    ids.length === 0
      ? []
      : await warehouse.read(
          `SELECT organization_id, district_code, region_code FROM main.dim_organization
            WHERE organization_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
          ids,
        );
  const districts = manager
    ? rows
        .filter((r) => managerOrgs.includes(String(r.organization_id)) && r.district_code)
        .map((r) => String(r.district_code))
    : [];
  const regions = planner
    ? [...new Set(rows.filter((r) => r.region_code).map((r) => String(r.region_code)))]
    : [];
  return {
    scope: {
      all: false,
      organizations: manager ? ids : [],
      districts: [...new Set(districts)],
      regions,
    },
    protected: true,
  };
}
