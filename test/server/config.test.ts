import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { optionsFromConfig, SETTINGS } from '../../server/config.js';
import { iceServersFor } from '../../server/ice-servers.js';

describe('configuration from environment and flags', () => {
  it('maps every environment variable to a kebab-case flag', () => {
    for (const setting of SETTINGS) {
      assert.equal(setting.flag, setting.env.toLowerCase().replaceAll('_', '-'));
    }
  });

  it('lists every setting, with its flag and default, in README.md', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const setting of SETTINGS) {
      const row = readme
        .split('\n')
        .find((line) => new RegExp(`^\\|\\s*\`${setting.env}\`\\s*\\|`).test(line));
      assert.ok(row, `README.md has a row for ${setting.env}`);
      assert.ok(row.includes(`\`--${setting.flag}\``), `README.md names the flag of ${setting.env}`);
      const shownDefault = setting.defaultText.replace(/^\((.*)\)$/, '$1');
      assert.ok(row.includes(shownDefault), `README.md gives the default of ${setting.env}: ${shownDefault}`);
    }
  });

  it('parses values, with flags winning over the environment', () => {
    const options = optionsFromConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        ALLOWED_ORIGINS: 'https://a.example, https://b.example',
        ICE_SERVERS: '[{"urls":"stun:stun.example:3478"}]',
        TURN_URLS: 'turn:turn.example:3478',
        TURN_SECRET: 's3cret',
        TURN_TTL: '600',
        RING_TIMEOUT_MS: '15000',
      },
      { port: '9090', 'log-level': 'debug' },
    );
    assert.deepEqual(options, {
      port: 9090,
      host: '127.0.0.1',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      iceServers: [{ urls: 'stun:stun.example:3478' }],
      turn: { urls: ['turn:turn.example:3478'], secret: 's3cret', ttlSeconds: 600 },
      ringTimeoutMs: 15000,
      logLevel: 'debug',
    });
  });

  it('refuses bad values with messages that name the setting', () => {
    assert.throws(() => optionsFromConfig({ PORT: '70000' }, {}), /PORT must be an integer from 0 to 65535/);
    assert.throws(() => optionsFromConfig({ ICE_SERVERS: '{' }, {}), /ICE_SERVERS must be a JSON array/);
    assert.throws(() => optionsFromConfig({ ICE_SERVERS: '[{"url":"x"}]' }, {}), /ICE_SERVERS must be/);
    assert.throws(
      () => optionsFromConfig({ TURN_URLS: 'turn:x' }, {}),
      /TURN needs both TURN_URLS and TURN_SECRET/,
    );
    assert.throws(() => optionsFromConfig({}, { 'log-level': 'loud' }), /LOG_LEVEL must be one of/);
    assert.throws(() => optionsFromConfig({ REDIS_URL: 'localhost:6379' }, {}), /REDIS_URL must start/);
    assert.throws(() => optionsFromConfig({ REDIS_KEY_PREFIX: 'a b' }, {}), /REDIS_KEY_PREFIX must be/);
  });
});

describe('TURN REST credentials', () => {
  it('gives each user `expiry:userId` and base64 HMAC-SHA1 of it, after the configured servers', () => {
    const now = Date.UTC(2026, 0, 1);
    const stun = { urls: 'stun:stun.example:3478' };
    const servers = iceServersFor(
      'alice',
      [stun],
      { urls: ['turn:t.example'], secret: 'k', ttlSeconds: 60 },
      now,
    );
    const expiry = now / 1000 + 60;
    assert.deepEqual(servers, [
      stun,
      {
        urls: ['turn:t.example'],
        username: `${expiry}:alice`,
        credential: createHmac('sha1', 'k').update(`${expiry}:alice`).digest('base64'),
      },
    ]);
  });

  it('hands out only the configured servers without TURN', () => {
    assert.deepEqual(iceServersFor('alice', [], undefined), []);
  });
});
