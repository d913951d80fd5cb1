import express, { type Express } from 'express';

export interface HealthReport {
  status: 'ok';
  version: string;
  protocolVersion: number;
  uptimeSeconds: number;
  connections: number;
  rooms: number;
  calls: { ringing: number; active: number };
}

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface HttpAppDeps {
  health(): HealthReport;
  readiness(): Readiness;
}

/** The HTTP side of the service: liveness and readiness probes. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(deps.health());
  });

  app.get('/readyz', (_req, res) => {
    const readiness = deps.readiness();
    res.set('Cache-Control', 'no-store');
    if (readiness.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not-ready', reason: readiness.reason });
  });

  return app;
}
