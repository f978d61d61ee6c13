/**
 * `npm run preview`: the kiosk in any browser, served on 127.0.0.1 only.
 *
 *   --port <n>            where to listen (default 4173; 0 lets the system choose)
 *   --data-dir <folder>   where the preview's config.json lives (default: a folder under
 *                         this account's application data, created if missing)
 *   --no-managed-config   ignore the system-wide managed configuration file
 *   --renderer-dir <dir>  the built renderer (default dist/renderer)
 *
 * Prints the data folder, where the Help button's calls go (the configuration's hub and
 * webhooks, as on a kiosk), then one line with the address to open. Ctrl+C stops it.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HelpSettings } from '../../shared/config/schema';
import { describeWebhookAddress } from '../services/help-webhook';
import { kioskAppDataDir } from '../services/app-data-dir';
import { portFromOption, readCommandLine } from '../services/command-line-options';
import { startPreviewServer, type PreviewServer } from './preview-server';

export const DEFAULT_PREVIEW_PORT = 4173;

export interface PreviewCliOptions {
  readonly port: number;
  readonly dataDir: string;
  readonly dataDirIsDefault: boolean;
  readonly managedConfig: boolean;
  readonly rendererDir: string | undefined;
}

export type PreviewCliArguments =
  | { readonly kind: 'run'; readonly options: PreviewCliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

export const PREVIEW_USAGE = `Usage: npm run preview -- [--port <n>] [--data-dir <folder>] [--no-managed-config] [--renderer-dir <folder>]

  --port <n>             where to listen on 127.0.0.1 (default ${DEFAULT_PREVIEW_PORT}; 0 lets the system choose)
  --data-dir <folder>    where the preview's config.json lives (default: under this account's application data)
  --no-managed-config    ignore the system-wide managed configuration file
  --renderer-dir <dir>   the built renderer (default dist/renderer)
  --help                 show this help`;

/** Apart from the kiosk's own data folder, so trying a catalogue never changes the kiosk's. */
export function defaultPreviewDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return kioskAppDataDir('preview', platform, env, home);
}

export function parsePreviewArguments(argv: readonly string[], defaults: { dataDir: string } = { dataDir: defaultPreviewDataDir() }): PreviewCliArguments {
  const read = readCommandLine<{ port?: string; 'data-dir'?: string; 'no-managed-config'?: boolean; 'renderer-dir'?: string; help?: boolean }>(argv, {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-managed-config': { type: 'boolean' },
    'renderer-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!read.ok) return { kind: 'error', message: read.message };
  const { values } = read;
  if (values.help === true) return { kind: 'help' };

  let port = DEFAULT_PREVIEW_PORT;
  if (values.port !== undefined) {
    const given = portFromOption(values.port);
    if (given === null) return { kind: 'error', message: `--port must be a whole number from 0 to 65535, not "${values.port}"` };
    port = given;
  }
  for (const option of ['data-dir', 'renderer-dir'] as const) {
    const value = values[option];
    if (value !== undefined && value.trim() === '') return { kind: 'error', message: `--${option} must name a folder` };
  }
  return {
    kind: 'run',
    options: {
      port,
      dataDir: resolve(values['data-dir'] ?? defaults.dataDir),
      dataDirIsDefault: values['data-dir'] === undefined,
      managedConfig: values['no-managed-config'] !== true,
      rendererDir: values['renderer-dir'] === undefined ? undefined : resolve(values['renderer-dir']),
    },
  };
}

/** One line for staff trying the preview: where the Help button's calls go (help in config.json). */
export function describeHelpChannels(help: HelpSettings): string {
  const channels = [
    ...(help.hub === null ? [] : [`the hub at ${help.hub.url}`]),
    ...help.webhooks.map((webhook) => `the ${webhook.format} webhook at ${describeWebhookAddress(webhook.url)}`),
  ];
  if (channels.length === 0) return 'Help button: no hub or webhook in config.json ("help"), so the visitor is asked to call a helper in the room.';
  return `Help button: calls go to ${channels.join(' and ')}.`;
}

function printError(line: string): void {
  process.stderr.write(`preview: ${line}\n`);
}

export async function runPreviewCli(argv: readonly string[]): Promise<number> {
  const parsed = parsePreviewArguments(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${PREVIEW_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    printError(`${parsed.message} (npm run preview -- --help lists the options)`);
    return 2;
  }
  const { options } = parsed;

  try {
    mkdirSync(options.dataDir, { recursive: true });
  } catch (error) {
    printError(`cannot create the data folder ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const where = options.dataDirIsDefault ? 'the default; --data-dir chooses another' : 'from --data-dir';
  process.stdout.write(`Preview data folder: ${options.dataDir} (${where}). Its config.json is the catalogue to try; without one, the built-in catalogue.\n`);

  let server: PreviewServer;
  try {
    server = await startPreviewServer({
      port: options.port,
      dataDir: options.dataDir,
      rendererDir: options.rendererDir,
      ...(options.managedConfig ? {} : { managedConfigPath: null }),
      log: printError,
    });
  } catch (error) {
    printError(error instanceof Error ? error.message : String(error));
    return 1;
  }
  process.stdout.write(`${describeHelpChannels(server.configStore.current().help)}\n`);
  process.stdout.write(`EPN Kiosk preview: open ${server.url} in a browser (Ctrl+C to stop)\n`);

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl+C: the visitor wants out now.
        resolveExit(130);
        return;
      }
      stopping = true;
      process.stdout.write(`Stopping the preview (${signal})…\n`);
      server.close().then(
        () => resolveExit(0),
        (error: unknown) => {
          printError(`could not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
          resolveExit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runPreviewCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      printError(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
