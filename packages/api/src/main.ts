import { ConfigError, loadConfig } from './config.js';
import { createLogger, describeError } from './logger.js';
import { startApi } from './server.js';

/** `npm start`: runs the API until interrupted. */
async function main(): Promise<void> {
  const logger = createLogger();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const api = await startApi(config, logger);
  process.stdout.write(
    `\nAlliance Data API ready at ${api.url}\n` +
      (config.env === 'production' ? '' : `Open it in a browser for Apollo Sandbox.\n`) +
      `Data: ${api.database}\nStop with Ctrl+C.\n\n` +
      (api.demoKeys ? `${api.demoKeys}(Also saved in .data/demo-keys.txt. They are created on the first start only.)\n\n` : ''),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    try {
      await api.stop();
      process.exit(0);
    } catch (error) {
      logger.error('Shutdown failed', describeError(error));
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`The API could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
