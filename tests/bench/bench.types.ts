/** One cell of a result table: a figure, a label, or nothing. */
export type BenchCell = string | number | boolean | null;

/** One line of a result table; the table's columns are the union of the rows' keys, in order. */
export type BenchRow = Record<string, BenchCell>;

/** What a `*.bench.ts` module's `run()` resolves to. */
export type BenchResult = {
  title: string;
  rows: BenchRow[];
  /** Lines printed under the table (ratios, checks, setup facts); kept in the JSON too. */
  notes?: string[] | undefined;
};

/** The shape `run-all.ts` expects of every `tests/bench/*.bench.ts`. */
export type BenchModule = {
  name: string;
  run(): Promise<BenchResult>;
};
