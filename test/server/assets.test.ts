import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { closeAll, httpGet, startServer } from '../helpers/index.js';

/** A bundle and a demo page of our own, so these tests need no build. */
function assets() {
  const dir = mkdtempSync(join(tmpdir(), 'ringlet-assets-'));
  writeFileSync(join(dir, 'widget.js'), 'console.log("ringlet widget");\n');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Ringlet demo</title>\n');
  return { widgetBundle: join(dir, 'widget.js'), demoDir: dir };
}

describe('GET /widget.js and the demo page', () => {
  afterEach(closeAll);

  it('serves the bundle to any origin as JavaScript, cacheable and revalidated by ETag', async () => {
    const { url } = await startServer({ assets: assets() });
    const res = await httpGet(`${url}/widget.js`, { Origin: 'https://shop.example' });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'console.log("ringlet widget");\n');
    assert.match(res.headers['content-type'] ?? '', /^text\/javascript/);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.match(res.headers['cache-control'] ?? '', /max-age=300/);
    const etag = res.headers.etag;
    assert.ok(etag, 'has an ETag');
    assert.equal((await httpGet(`${url}/widget.js`, { 'If-None-Match': etag })).status, 304);
  });

  it('says how to build when the bundle is missing', async () => {
    const { url } = await startServer({ assets: { ...assets(), widgetBundle: '/nonexistent/widget.js' } });
    const res = await httpGet(`${url}/widget.js`);
    assert.equal(res.status, 503);
    assert.match(res.body, /npm run build/);
  });

  it('serves the demo at /', async () => {
    const { url } = await startServer({ assets: assets() });
    const res = await httpGet(`${url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    assert.match(res.body, /Ringlet demo/);
  });
});
