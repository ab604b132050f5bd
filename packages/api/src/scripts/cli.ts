/**
 * The flags of a command-line tool, read by `parse` (node:util's parseArgs, with a `help` flag): `--help` prints `usage`
 * and exits 0; an unknown flag or a missing value prints what was wrong and `usage`, and exits 2 — never a stack trace.
 */
export function commandLine<T extends { help?: boolean }>(parse: () => T, usage: string): T {
  let values: T;
  try {
    values = parse();
  } catch (error) {
    // parseArgs refuses unknown flags and missing values with a TypeError: say what was wrong, never its stack.
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}
