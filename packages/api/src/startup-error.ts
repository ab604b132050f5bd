/**
 * A start-up failure whose message names the cause and the fix in one line. Exit code 2 when a setting or the
 * machine's setup must change (retrying cannot help), 1 when something else is in the way (busy port, locked folder,
 * a database that does not answer) and a later start may succeed.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
