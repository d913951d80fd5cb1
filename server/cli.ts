#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { optionsFromConfig, SETTINGS } from './config.js';
import { createSignalingServer } from './signaling-server.js';
import { VERSION } from './version.js';

const USAGE = `ringlet ${VERSION}: drop-in video calls, signaling service

Usage:
  ringlet serve [flags]    run the service (every flag also reads an environment variable)
  ringlet --version
  ringlet --help

Flags for serve (environment variable, default):
${SETTINGS.map((s) => `  --${s.flag.padEnd(22)} ${s.env} (${s.defaultText})\n      ${s.description}`).join('\n')}
`;

async function serve(flagValues: Record<string, string | undefined>): Promise<void> {
  const options = optionsFromConfig(process.env, flagValues);
  const server = createSignalingServer(options);
  const { url } = await server.listen();
  server.logger.info({ url }, `Ringlet is ready: open ${url}/healthz`);

  const shutdown = (signal: string): void => {
    server.logger.info({ signal }, 'stopping');
    // Exit even if something hangs: a supervisor expects us gone within seconds.
    setTimeout(() => process.exit(1), (options.shutdownTimeoutMs ?? 3_000) + 2_000).unref();
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
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
  if (command !== 'serve' && command !== undefined)
    throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  const flags: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (typeof value === 'string') flags[name] = value;
  await serve(flags);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`ringlet: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
