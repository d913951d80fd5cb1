/**
 * Bundle: the bytes a page downloads for dist/widget.js (minified; gzip level 9; brotli quality 11) against
 * lit + socket.io-client alone, bundled the same way as the widget (rollup.config.mjs: node-resolve with the
 * browser and production conditions, terser, IIFE) from a tiny entry importing both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserPlugin from '@rollup/plugin-terser';
import { rollup, type Plugin } from 'rollup';
import { absoluteAtMost, metric } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';

const BASELINE_SOURCE = [
  "import { LitElement } from 'lit';",
  "import { io } from 'socket.io-client';",
  'console.log(LitElement, io);',
  '',
].join('\n');
const GZIP_TARGET_KIB = 25;

// The plugin's types are CommonJS-flavoured: under NodeNext its default import types as the module object,
// while at run time (ESM) it is the function itself.
const terser = terserPlugin as unknown as typeof terserPlugin.default;

interface Sizes {
  minified: number;
  gzip: number;
  brotli: number;
}

function sizesOf(code: Buffer): Sizes {
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }).length,
  };
}

/** An entry module that exists only in memory, resolved as if it sat in the repository root. */
function virtualEntry(id: string, source: string): Plugin {
  return {
    name: 'bench-virtual-entry',
    resolveId: (source_) => (source_ === id ? id : null),
    load: (loaded) => (loaded === id ? source : null),
  };
}

async function bundleBaseline(root: string): Promise<Buffer> {
  const entry = join(root, 'bench', '__baseline-entry__.js');
  const bundle = await rollup({
    input: entry,
    onwarn: () => undefined,
    plugins: [
      virtualEntry(entry, BASELINE_SOURCE),
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'], rootDir: root }),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
    ],
  });
  try {
    const { output } = await bundle.generate({ format: 'iife', name: 'Baseline' });
    const [chunk] = output;
    return Buffer.from(chunk.code);
  } finally {
    await bundle.close();
  }
}

const kib = (bytes: number): number => bytes / 1024;

export const bundleBenchmark: Benchmark = {
  id: 'bundle',
  title: 'Bundle size (dist/widget.js)',
  baseline: 'lit + socket.io-client alone, bundled the same way',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    const widgetPath = join(ctx.root, 'dist', 'widget.js');
    if (!existsSync(widgetPath)) {
      result.status = 'skipped';
      result.notes.push(
        'dist/widget.js does not exist: run `npm run build` (npm run bench does) once the widget builds.',
      );
      return;
    }
    const widget: Sizes[] = [];
    const baseline: Sizes[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      widget.push(sizesOf(readFileSync(widgetPath)));
      baseline.push(sizesOf(await bundleBaseline(ctx.root)));
    }
    const [first] = widget;
    const [firstBaseline] = baseline;
    if (first && firstBaseline) {
      ctx.log(
        `bundle: widget ${first.minified} B min / ${first.gzip} B gzip / ${first.brotli} B brotli; ` +
          `lit + socket.io-client ${firstBaseline.minified} / ${firstBaseline.gzip} / ${firstBaseline.brotli} B`,
      );
    }
    const pick = (list: Sizes[], key: keyof Sizes): number[] => list.map((s) => kib(s[key]));
    result.metrics.push(
      metric({
        name: 'minified',
        unit: 'KiB',
        ringlet: pick(widget, 'minified'),
        baseline: pick(baseline, 'minified'),
      }),
      metric({
        name: 'gzip -9',
        unit: 'KiB',
        ringlet: pick(widget, 'gzip'),
        baseline: pick(baseline, 'gzip'),
        target: absoluteAtMost(GZIP_TARGET_KIB, `<= ${GZIP_TARGET_KIB} KiB`),
      }),
      metric({
        name: 'brotli -q 11',
        unit: 'KiB',
        ringlet: pick(widget, 'brotli'),
        baseline: pick(baseline, 'brotli'),
      }),
    );
    result.details = { bytes: { widget: first, baseline: firstBaseline }, baselineEntry: BASELINE_SOURCE };
    if (first && firstBaseline) {
      result.notes.push(
        `Sizes are deterministic (min = max). The widget's own code adds ${first.gzip - firstBaseline.gzip} B ` +
          `gzip over lit + socket.io-client (${firstBaseline.gzip} B gzip).`,
      );
    }
  },
};
