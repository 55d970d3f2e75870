import { listEtlRuns, listKpiAlerts } from '@hub/etl';
import { cubeViewerOf } from '../cubes/cube-viewer.ts';
import { builder, signedIn } from './builder.ts';

// The cubes in GraphQL: the same Cube query and the same answer as /cubejs-api/v1/load (JSON in,
// JSON out: Cube's query format is the contract), with the same row-level security and
// disclosure control, decided by the engine. The ETL's run history for those who read the cubes
// and for the administrator.

builder.queryFields((t) => ({
  cube: t.withAuth(signedIn).field({
    type: 'JSON',
    description:
      "A Cube query (https://cube.dev/docs/product/apis-integrations/rest-api/query-format) over the hub's cubes; the answer is Cube's `/load` answer (`results[]` with `data`, `annotation`, `lastRefreshTime`, and the hub's `provenance` and `disclosure`). For managers (their organisation or zona sociale) and regional planners (the region); suppressed cells are null.",
    args: { query: t.arg({ type: 'JSON', required: true }) },
    resolve: async (_root, args, ctx) =>
      ctx.cubes.load(args.query, await cubeViewerOf(ctx.db, ctx.warehouse, ctx.actor)),
  }),
  cubeMeta: t.withAuth(signedIn).field({
    type: 'JSON',
    description: "The cubes and their members, as Cube's `/meta` answers",
    resolve: async (_root, _args, ctx) => {
      await cubeViewerOf(ctx.db, ctx.warehouse, ctx.actor);
      return ctx.cubes.meta();
    },
  }),
  etlRuns: t.withAuth({ role: ['MANAGER', 'PLANNER', 'ADMINISTRATOR'] }).field({
    type: 'JSON',
    description:
      'The latest ETL runs, newest first: kind (FULL, INCREMENTAL), start, end, status, rows loaded, change-log lines applied, error',
    args: { limit: t.arg.int() },
    resolve: (_root, args, ctx) => listEtlRuns(ctx.db, args.limit ?? 50),
  }),
  kpiAlerts: t.withAuth({ role: ['MANAGER', 'PLANNER'] }).field({
    type: 'JSON',
    description:
      "The KPI alerts of the last load for the caller's organisations (a planner: the region's): intake records waiting for evaluation, judicial proposals not decided, SIUSS duties overdue, care-plan reviews overdue and projects near their budget, each with its organisation's threshold; counts of persons' items under 3 are null",
    resolve: (_root, _args, ctx) =>
      listKpiAlerts(ctx.db, ctx.actor?.kind === 'OPERATOR' ? ctx.actor.organizationIds : []),
  }),
}));
