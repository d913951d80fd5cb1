import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import type { Registry } from 'prom-client';
import type { Readiness } from '../state/store.js';
import type { AssetPaths } from './assets.js';

export interface HealthReport {
  status: 'ok';
  version: string;
  protocolVersion: number;
  uptimeSeconds: number;
  connections: number;
  /** Cluster-wide counts from the state store; `null` while it cannot be reached. */
  rooms: number | null;
  calls: { ringing: number; active: number } | null;
}

export interface HttpAppDeps {
  health(): Promise<HealthReport>;
  readiness(): Readiness;
  assets: AssetPaths;
  /** Prometheus registry served at `/metrics`; absent when metrics are off. */
  metrics?: Registry | undefined;
}

/** Short enough that a deploy reaches pages within minutes; ETags make revalidation cheap. */
const WIDGET_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/** The HTTP side of the service: probes, the widget bundle and the demo page. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res, next) => {
    deps
      .health()
      .then((report) => res.set('Cache-Control', 'no-store').json(report))
      .catch(next);
  });

  app.get('/readyz', (_req, res) => {
    const readiness = deps.readiness();
    res.set('Cache-Control', 'no-store');
    if (readiness.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not-ready', reason: readiness.reason });
  });

  const { metrics } = deps;
  if (metrics) {
    app.get('/metrics', (_req, res, next) => {
      metrics
        .metrics()
        .then((text) => res.set('Cache-Control', 'no-store').type(metrics.contentType).send(text))
        .catch(next);
    });
  }

  // Host pages on any origin load the widget; CORS lets them use `crossorigin` / SRI as well.
  app.get('/widget.js', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (!existsSync(deps.assets.widgetBundle)) {
      res.status(503).type('text/plain').send('widget.js is not built yet: run `npm run build`.\n');
      return;
    }
    res.sendFile(deps.assets.widgetBundle, {
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': WIDGET_CACHE_CONTROL },
    });
  });

  app.use(express.static(deps.assets.demoDir, { index: 'index.html', maxAge: '5m' }));

  return app;
}
