#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { optionsFromConfig, SETTINGS } from './config.js';
import { createSignalingServer } from './signaling-server.js';
import { mintToken } from './token.js';
import { VERSION } from './version.js';

const USAGE = `ringlet ${VERSION}: drop-in video calls, signaling service

Usage:
  ringlet serve [flags]    run the service (every flag also reads an environment variable)
  ringlet token --user-id ID [--user-name NAME] [--rooms a,b | --rooms '*'] [--ttl SECONDS]
                           print a token for AUTH_SECRET mode (secret from AUTH_SECRET or --auth-secret)
  ringlet --version
  ringlet --help

Flags for serve (environment variable, default):
${SETTINGS.map((s) => `  --${s.flag} (${s.env}, default ${s.defaultText.replace(/^\((.*)\)$/, '$1')})\n      ${s.description}`).join('\n')}
`;

async function serve(flagValues: Record<string, string | undefined>): Promise<void> {
  const options = optionsFromConfig(process.env, flagValues);
  const server = createSignalingServer(options);
  const { url } = await server.listen();
  server.logger.info({ url }, `Ringlet is ready: the demo is at ${url}/ and health at ${url}/healthz`);

  const shutdown = (signal: string): void => {
    server.logger.info({ signal }, 'stopping');
    // Exit even if something hangs: a supervisor expects us gone within seconds.
    setTimeout(() => process.exit(1), (options.shutdownTimeoutMs ?? 3_000) + 2_000).unref();
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function token(flags: Record<string, string | undefined>): Promise<void> {
  const secret = flags['auth-secret'] ?? process.env.AUTH_SECRET;
  const userId = flags['user-id'];
  if (!secret) throw new Error('token needs the secret: set AUTH_SECRET or pass --auth-secret');
  if (!userId) throw new Error('token needs --user-id');
  const ttl = flags.ttl === undefined ? undefined : Number(flags.ttl);
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))
    throw new Error('--ttl must be a positive number of seconds');
  const rooms = (flags.rooms ?? '*')
    .split(',')
    .map((room) => room.trim())
    .filter(Boolean);
  process.stdout.write(
    `${await mintToken(secret, { userId, userName: flags['user-name'], rooms, ttlSeconds: ttl })}\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
      'user-id': { type: 'string' },
      'user-name': { type: 'string' },
      rooms: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const flags: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (typeof value === 'string') flags[name] = value;
  if (command === 'token') await token(flags);
  else if (command === 'serve' || command === undefined) await serve(flags);
  else throw new Error(`unknown command "${command}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`ringlet: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
