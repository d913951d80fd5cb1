// Bundles the widget's tsc output (dist/widget/index.js, the ESM build) into dist/widget.js: one
// self-contained, minified classic script (lit and socket.io-client inside) for a plain <script src>.
// No eval and nothing fetched at run time, so it works under a strict Content-Security-Policy.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyTemplateLiterals } from './scripts/minify-template-literals.mjs';

/**
 * engine.io-client's table of default transports also holds WebTransport, which the service never offers
 * (the signaling client asks for polling and WebSocket only) and which pulls engine.io-parser's stream
 * codecs in with it: about 2.7 KB of the bundle. The table is rewritten without it; a changed file fails
 * the build rather than slip through.
 */
function withoutWebTransport() {
  const table = /[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]index\.js$/;
  return {
    name: 'without-webtransport',
    transform(code, id) {
      if (!table.test(id)) return null;
      // Blank lines stay in place of the removed ones, so the module's lines and source map do not move.
      const trimmed = code
        .replace(/^import \{ WT \} from "\.\/webtransport\.js";$/m, '')
        .replace(/^\s*webtransport: WT,$/m, '');
      if (trimmed.length === code.length || /\bWT\b/.test(trimmed)) {
        this.error(`unexpected ${id}: update withoutWebTransport() in rollup.config.mjs`);
      }
      return { code: trimmed, map: null };
    },
  };
}

export default {
  input: 'dist/widget/index.js',
  output: {
    file: 'dist/widget.js',
    format: 'iife',
    name: 'Ringlet',
    sourcemap: true,
  },
  plugins: [
    // Browser builds: otherwise socket.io-client pulls Node's `ws` and the CommonJS `debug`.
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    withoutWebTransport(),
    // The text of our css``, html`` and svg`` templates, which terser leaves as written.
    minifyTemplateLiterals(),
    terser({ format: { comments: false }, compress: { passes: 2 } }),
  ],
};
