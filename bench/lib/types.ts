/** What every benchmark reports: figures with their spread, set against a baseline measured in the same run. */

/** The median of several runs with its range. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many runs the figure is the median of. */
  n: number;
}

export interface Target {
  /** `ratio`: Ringlet's median over the baseline's; `absolute`: Ringlet's median itself. */
  kind: 'ratio' | 'absolute';
  op: '<=' | '>=';
  value: number;
  /** How the target reads in the table, e.g. `<= 1.1x`. */
  text: string;
}

export interface Metric {
  /** e.g. `messages/s, 10 pairs`. */
  name: string;
  unit: Unit;
  ringlet: Summary;
  baseline: Summary | null;
  /** `ringlet.median / baseline.median`, when there is a baseline. */
  ratio: number | null;
  target: Target | null;
  /** Whether the target is met; `null` without a target. */
  met: boolean | null;
}

export type Unit = 'B' | 'KiB' | 'msg/s' | 'conn/s' | 'us' | 'ms';

export type BenchStatus = 'ok' | 'skipped' | 'not-available' | 'failed';

export interface BenchResult {
  id: string;
  title: string;
  /** What the figures are set against, in words. */
  baseline: string;
  status: BenchStatus;
  /** Why a benchmark was skipped or failed, or anything a reader should know about its figures. */
  notes: string[];
  metrics: Metric[];
  /** Raw per-run figures and other context, for the JSON only. */
  details: Record<string, unknown>;
  durationMs: number;
}

export interface BenchContext {
  /** Small counts and one run: proves the harness works, measures nothing worth keeping. */
  quick: boolean;
  /** Runs per figure. */
  runs: number;
  /** The repository root. */
  root: string;
  log: (message: string) => void;
  /** Log more: e.g. the timeline of every browser call setup. */
  verbose: boolean;
}

export interface Benchmark {
  id: string;
  title: string;
  baseline: string;
  run(ctx: BenchContext, result: BenchResult): Promise<void>;
}
