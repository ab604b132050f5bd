import { createRequire } from 'node:module';
import { pino, stdTimeFunctions, type DestinationStream, type Level } from 'pino';

/**
 * Structured logs through pino: one JSON object a line on stderr, so logs can be shipped and searched;
 * nothing else writes logs. Lines carry `time`, `level` (as a word), `message` and the fields given.
 * Secrets and case details are never passed in; the paths below are redacted as a second line of defence.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
  /** Writes anything still buffered (before the process exits). */
  flush(): void;
}

export interface LoggerOptions {
  /** Write nothing to stderr (tests); lines still reach `sink`. */
  silent?: boolean;
  /** Receives every line as JSON (tests read the logs through it). */
  sink?: (line: string) => void;
  /** The lowest level written; `info` by default. */
  level?: Level | 'silent';
  /** `pretty` writes readable lines for a developer's terminal (needs the dev dependency pino-pretty). */
  format?: 'json' | 'pretty';
}

/** Field names that never reach a log line, wherever a caller puts them. */
const REDACTED = ['authorization', 'token', 'secret', 'password', 'apiKey', 'headers.authorization', '*.authorization', '*.token', '*.secret', '*.password', '*.apiKey'];

/** pino-pretty is a development dependency: production installs have no pretty output and fall back to JSON. */
function prettyStream(): DestinationStream | null {
  try {
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as { prettyFactory: (options: object) => (line: string) => string };
    // Formats each line as it is written, so nothing is left in a buffer when the process exits.
    const prettify = prettyFactory({ messageKey: 'message', translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true, colorize: process.stderr.isTTY });
    return { write: (line: string) => void process.stderr.write(prettify(line)) };
  } catch {
    return null;
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.format === 'pretty' && !options.silent ? prettyStream() : null;
  const target: DestinationStream | null = options.silent ? null : (pretty ?? { write: (line: string) => void process.stderr.write(line) });
  const destination: DestinationStream = {
    write(line: string) {
      options.sink?.(line.trimEnd());
      target?.write(line);
    },
  };
  const base = pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    destination,
  );
  if (options.format === 'pretty' && !pretty && !options.silent) base.warn('LOG_FORMAT=pretty needs the development dependency pino-pretty; writing JSON instead');
  const wrap = (log: pino.Logger): Logger => ({
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
    debug: (m, f) => log.debug(f ?? {}, m),
    child: (fields) => wrap(log.child(fields)),
    flush: () => log.flush(),
  });
  return wrap(base);
}

/** The parts of an unexpected error worth logging (never sent to clients). */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, name: error.name, stack: error.stack };
  return { error: String(error) };
}
