// Bundles the widget's tsc output (dist/widget/index.js, the ESM build) into dist/widget.js: one
// self-contained, minified classic script (lit and socket.io-client inside) for a plain <script src>.
// No eval and nothing fetched at run time, so it works under a strict Content-Security-Policy.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'dist/widget/index.js',
  output: {
    file: 'dist/widget.js',
    format: 'iife',
    name: 'Ringlet',
    sourcemap: true,
  },
  onwarn(warning, warn) {
    // tsc's `__decorate` helper probes `this` at module level, which is undefined (and unused) in ESM.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
  plugins: [
    // Browser builds: otherwise socket.io-client pulls Node's `ws` and the CommonJS `debug`.
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    terser({ format: { comments: false }, compress: { passes: 2 } }),
  ],
};
