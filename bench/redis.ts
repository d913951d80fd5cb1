/**
 * Cross-node relay through Redis against a single node. Ringlet cannot run several nodes yet (REDIS_URL is
 * refused at start), so there is nothing to measure: the row says so.
 */
import type { Benchmark, BenchResult } from './lib/types.js';

export const redisBenchmark: Benchmark = {
  id: 'redis',
  title: 'Cross-node relay via Redis',
  baseline: 'single node',
  run(_ctx, result: BenchResult): Promise<void> {
    result.status = 'not-available';
    result.notes.push('not available: REDIS_URL not implemented in this version');
    return Promise.resolve();
  },
};
