/** The results as a plain-text table for the terminal and as a Markdown table for the README. */
import type { BenchResult, Metric, Summary, Unit } from './types.js';

const DIGITS: Record<Unit, number> = { B: 0, KiB: 2, 'msg/s': 0, 'conn/s': 0, us: 1, ms: 1 };

export function formatNumber(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  let digits = DIGITS[unit];
  // Small times need more places to be told apart (e.g. an RTT of 0.4 ms).
  if ((unit === 'ms' || unit === 'us') && Math.abs(value) < 10) digits = 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSummary(summary: Summary | null, unit: Unit): string {
  if (!summary || summary.n === 0) return '-';
  const median = `${formatNumber(summary.median, unit)} ${unit}`;
  if (summary.n === 1 || summary.min === summary.max) return median;
  return `${median} (${formatNumber(summary.min, unit)}-${formatNumber(summary.max, unit)})`;
}

function formatRatio(metric: Metric): string {
  return metric.ratio === null || !Number.isFinite(metric.ratio) ? '-' : `${metric.ratio.toFixed(2)}x`;
}

function formatVerdict(metric: Metric): string {
  if (metric.met === null) return '';
  return metric.met ? 'met' : 'MISSED';
}

const HEADER = [
  'Benchmark',
  'Metric',
  'Ringlet median (min-max)',
  'Baseline median (min-max)',
  'Ratio',
  'Target',
  '',
];

function rows(results: readonly BenchResult[]): string[][] {
  const out: string[][] = [];
  for (const result of results) {
    if (result.status !== 'ok' || result.metrics.length === 0) {
      const note = result.notes[0] ?? result.status;
      const text = result.status === 'not-available' ? note : `${result.status}: ${note}`;
      out.push([result.title, '-', text, result.baseline, '-', '-', '']);
      continue;
    }
    result.metrics.forEach((metric, index) => {
      out.push([
        index === 0 ? result.title : '',
        metric.name,
        formatSummary(metric.ringlet, metric.unit),
        formatSummary(metric.baseline, metric.unit),
        formatRatio(metric),
        metric.target?.text ?? '',
        formatVerdict(metric),
      ]);
    });
  }
  return out;
}

export function textTable(results: readonly BenchResult[]): string {
  const all = [HEADER, ...rows(results)];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(HEADER), rule, ...all.slice(1).map(line)].join('\n');
}

const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|');

export function markdownTable(results: readonly BenchResult[]): string {
  const header = HEADER.map((cell, index) => (index === HEADER.length - 1 ? 'Result' : cell));
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`,
    ...rows(results).map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** The baselines and notes under the table. */
export function notesOf(results: readonly BenchResult[]): string[] {
  const out: string[] = [];
  for (const result of results) {
    if (result.status === 'ok') out.push(`${result.title}: baseline = ${result.baseline}.`);
    const notes = result.status === 'ok' ? result.notes : result.notes.slice(1);
    out.push(...notes.map((note) => `${result.title}: ${note}`));
  }
  return out;
}
