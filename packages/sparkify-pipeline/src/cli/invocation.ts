/**
 * The directory the user typed the command in. `pnpm sparkify …` runs the script from the
 * workspace root, but pnpm keeps the original directory in INIT_CWD; relative paths on the
 * command line must resolve against that, as they would in any other tool.
 */
export function invocationCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env['INIT_CWD'] && env['npm_lifecycle_event'] === 'sparkify' ? env['INIT_CWD'] : process.cwd();
}

/** Parses repeated `--param NAME=VALUE` flags. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--param expects NAME=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
