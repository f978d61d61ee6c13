/**
 * What the kiosk reads from its command line, decided as plain functions.
 *
 * A kiosk in front of visitors never runs with a debugger: `--inspect*` opens the main
 * process (and with it the whole PC) to anyone who reaches the port, and
 * `--remote-debugging-*` does the same for every page. Such a switch means someone
 * changed how the kiosk is launched, so it refuses to start rather than run open.
 */

export const DATA_DIR_SWITCH = '--data-dir';

/**
 * Lets the real-Electron test suite drive the kiosk: Playwright can only attach through
 * `--inspect` and `--remote-debugging-port`. Honoured only when the app runs unpackaged
 * from a checkout, never in an installed kiosk.
 */
export const UNSAFE_ALLOW_DEBUGGING_SWITCH = '--UNSAFE-allow-debugging-for-tests';

/** `--data-dir=<folder>`: where the kiosk keeps its files instead of the system's app-data folder. */
export function dataDirFromArguments(argv: readonly string[]): string | undefined {
  const prefix = `${DATA_DIR_SWITCH}=`;
  const values = argv.slice(1).filter((argument) => argument.startsWith(prefix));
  const value = values.at(-1)?.slice(prefix.length).trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Node and Chromium take `--name` and `-name`; Windows ignores the case of names. Chromium's
 * other spellings (`/name` on Windows) are caught by asking Chromium itself (hasChromiumSwitch).
 */
function switchName(argument: string): string | undefined {
  const match = /^--?([A-Za-z][\w-]*)(?:=|$)/.exec(argument);
  return match?.[1]?.toLowerCase();
}

function isDebuggingSwitchName(name: string): boolean {
  return (
    name === 'inspect' ||
    name.startsWith('inspect-') ||
    name === 'debug' ||
    name.startsWith('debug-') ||
    name.startsWith('remote-debugging-')
  );
}

export interface DebuggingEvidence {
  /** process.argv: the executable first, then the switches and the app path. */
  readonly argv: readonly string[];
  /** process.execArgv: switches Node itself consumed. */
  readonly execArgv: readonly string[];
  /** The NODE_OPTIONS environment variable, which Electron's Node also reads. */
  readonly nodeOptions: string | undefined;
  /** Chromium's own view of its switches (app.commandLine.hasSwitch). */
  readonly hasChromiumSwitch: (name: string) => boolean;
  /** Whether Node's inspector is already listening (inspector.url() is defined). */
  readonly inspectorActive: boolean;
}

const CHROMIUM_DEBUGGING_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe', 'inspect', 'inspect-brk', 'inspect-port'];

/** Every debugging switch found, by name, without duplicates. */
export function findDebuggingSwitches(evidence: DebuggingEvidence): string[] {
  const found = new Set<string>();
  const scan = (argument: string) => {
    const name = switchName(argument);
    if (name !== undefined && isDebuggingSwitchName(name)) found.add(`--${name}`);
  };
  evidence.argv.slice(1).forEach(scan);
  evidence.execArgv.forEach(scan);
  (evidence.nodeOptions ?? '').split(/\s+/).filter(Boolean).forEach(scan);
  for (const name of CHROMIUM_DEBUGGING_SWITCHES) {
    if (evidence.hasChromiumSwitch(name)) found.add(`--${name}`);
  }
  if (evidence.inspectorActive && found.size === 0) found.add('(Node inspector active)');
  return [...found];
}

export type StartupDecision =
  | { readonly start: true; readonly UNSAFE_debuggingAllowed: boolean; readonly warning?: string }
  | { readonly start: false; readonly reason: string };

export function decideStartup(evidence: DebuggingEvidence & { readonly isPackaged: boolean }): StartupDecision {
  const switches = findDebuggingSwitches(evidence);
  if (switches.length === 0) return { start: true, UNSAFE_debuggingAllowed: false };
  const allowedForTests = !evidence.isPackaged && evidence.argv.slice(1).includes(UNSAFE_ALLOW_DEBUGGING_SWITCH);
  if (allowedForTests) {
    return {
      start: true,
      UNSAFE_debuggingAllowed: true,
      warning: `debugging switches ${switches.join(', ')} accepted because of ${UNSAFE_ALLOW_DEBUGGING_SWITCH}: this run is for tests only`,
    };
  }
  return {
    start: false,
    reason: `EPN Kiosk refuses to start: debugging switch ${switches.join(', ')} present; a kiosk in front of visitors never runs with a debugger attached. Remove it from the command that starts the kiosk.`,
  };
}
