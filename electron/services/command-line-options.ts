/**
 * What the project's commands (`npm run preview`, `npm run hub`) share when they read
 * their options: strict parsing with one-line messages, and ports.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type CommandLineRead<Values> = { readonly ok: true; readonly values: Values } | { readonly ok: false; readonly message: string };

/**
 * Options only, no positional arguments, unknown options refused. Node's message is cut to
 * its first line and its hint about positional arguments, which these commands have none of.
 */
export function readCommandLine<Values>(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): CommandLineRead<Values> {
  try {
    const { values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options });
    return { ok: true, values: values as Values };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '') : String(error);
    return { ok: false, message };
  }
}

/** A port typed on the command line: 0 to 65535 in digits only, else null. */
export function portFromOption(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65_535 ? port : null;
}
