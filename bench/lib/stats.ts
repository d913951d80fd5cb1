import type { Metric, Summary, Target, Unit } from './types.js';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Linear interpolation between closest ranks; `p` in 0-100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Ringlet must be at least `value` times the baseline (throughput-like figures). */
export function ratioAtLeast(value: number): Target {
  return { kind: 'ratio', op: '>=', value, text: `>= ${value.toFixed(1)}x` };
}

/** Ringlet must be at most `value` times the baseline (cost-like figures). */
export function ratioAtMost(value: number): Target {
  return { kind: 'ratio', op: '<=', value, text: `<= ${value.toFixed(1)}x` };
}

export function absoluteAtMost(value: number, text: string): Target {
  return { kind: 'absolute', op: '<=', value, text };
}

export interface MetricInput {
  name: string;
  unit: Unit;
  ringlet: readonly number[];
  baseline?: readonly number[];
  target?: Target;
}

/** Summarizes the per-run values of both sides and sets the ratio of their medians against the target. */
export function metric({ name, unit, ringlet, baseline, target }: MetricInput): Metric {
  const ours = summarize(ringlet);
  const theirs = baseline ? summarize(baseline) : null;
  const ratio = theirs && theirs.median !== 0 ? ours.median / theirs.median : null;
  let met: boolean | null = null;
  if (target) {
    const value = target.kind === 'ratio' ? ratio : ours.median;
    met =
      value === null || Number.isNaN(value)
        ? false
        : target.op === '<='
          ? value <= target.value
          : value >= target.value;
  }
  return { name, unit, ringlet: ours, baseline: theirs, ratio, target: target ?? null, met };
}
