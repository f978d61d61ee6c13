/**
 * `npm run hub`: the EPN hub without the kiosk app, on any always-on machine of the EPN
 * (or the coordinator's network hub with --role network). Options: HUB_USAGE below and
 * docs/hub.md.
 *
 * Prints the data folder, the hub's address and the dashboard's, and — while no staff
 * device is paired, or with --pair-staff — a staff pairing code with a QR code a helper's
 * phone scans. Ctrl+C (SIGINT) or SIGTERM (systemd) closes it cleanly.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import QRCode from 'qrcode';
import { DEFAULT_HUB_PORT, HubRoleSchema, normalizePairingCode, SiteNameSchema, STAFF_PAIRING_CODE_MINUTES, type HubRole } from '../../shared/hub-api';
import { MAX_SUPPRESSION_THRESHOLD, MIN_SUPPRESSION_THRESHOLD } from '../../shared/statistics/suppression';
import { kioskAppDataDir } from '../services/app-data-dir';
import { portFromOption, readCommandLine } from '../services/command-line-options';
import { HubStartError, startHubHost, type HubHost } from './hub-host';
import { describeForwarderStatus } from './upstream-forwarder';

export const DEFAULT_HUB_LISTEN = '127.0.0.1';

export interface HubCliOptions {
  readonly dataDir: string;
  readonly dataDirIsDefault: boolean;
  readonly listen: string;
  readonly port: number;
  readonly role: HubRole;
  readonly site: string;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly upstream: { readonly url: string; readonly pairingCode?: string } | null;
  readonly suppressionThreshold: number | undefined;
  readonly pairStaff: boolean;
}

export type HubCliArguments =
  | { readonly kind: 'run'; readonly options: HubCliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

export const HUB_USAGE = `Usage: npm run hub -- [options]

  --listen <address|interface>  the one address to listen on: "192.168.1.10", "eth0", "::1",
                                "localhost" (default ${DEFAULT_HUB_LISTEN}: this machine only).
                                Name the network helpers' phones are on; never every interface.
  --port <n>                    the port (default ${DEFAULT_HUB_PORT}; 0 lets the system choose)
  --data-dir <folder>           where hub.sqlite and the upstream credential live
                                (default: "EPN Kiosk/hub" under this account's application data)
  --role epn|network            epn (default): an EPN's hub for its kiosks and helpers;
                                network: a coordinator's hub collecting the statistics of EPN hubs
  --site "<name>"               the site's name, shown on the dashboard: "EPN de Namur"
  --tls-cert <file.pem>         HTTPS with this certificate (PEM) ...
  --tls-key <file.pem>          ... and its private key (PEM); both or neither
  --upstream <url>              forward the daily statistics to this network hub
  --upstream-code <code>        the hub pairing code the network hub gave (first start only)
  --suppression-threshold <n>   hide counts below n in summaries and exports (${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD})
  --pair-staff                  print a staff pairing code even when staff devices are paired
  --help                        show this help

Reference: docs/hub.md`;

/** The per-user application data folder, as Electron's app.getPath('appData') names it (the same rule as the preview's). */
export function defaultHubDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return kioskAppDataDir('hub', platform, env, home);
}

type RawValues = {
  'data-dir'?: string;
  listen?: string;
  port?: string;
  role?: string;
  site?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  upstream?: string;
  'upstream-code'?: string;
  'suppression-threshold'?: string;
  'pair-staff'?: boolean;
  help?: boolean;
};

export function parseHubArguments(argv: readonly string[], defaults: { readonly dataDir: string } = { dataDir: defaultHubDataDir() }): HubCliArguments {
  const read = readCommandLine<RawValues>(argv, {
    'data-dir': { type: 'string' },
    listen: { type: 'string' },
    port: { type: 'string' },
    role: { type: 'string' },
    site: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    upstream: { type: 'string' },
    'upstream-code': { type: 'string' },
    'suppression-threshold': { type: 'string' },
    'pair-staff': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!read.ok) return { kind: 'error', message: read.message };
  const { values } = read;
  if (values.help === true) return { kind: 'help' };
  const error = (message: string): HubCliArguments => ({ kind: 'error', message });

  for (const option of ['data-dir', 'listen', 'tls-cert', 'tls-key', 'upstream', 'upstream-code'] as const) {
    const value = values[option];
    if (value !== undefined && value.trim() === '') return error(`--${option} must not be empty`);
  }

  let port = DEFAULT_HUB_PORT;
  if (values.port !== undefined) {
    const given = portFromOption(values.port);
    if (given === null) return error(`--port must be a whole number from 0 to 65535 (0 lets the system choose), not "${values.port}"`);
    port = given;
  }

  let role: HubRole = 'epn';
  if (values.role !== undefined) {
    const parsed = HubRoleSchema.safeParse(values.role);
    if (!parsed.success) return error(`--role must be "epn" (an EPN's hub) or "network" (a coordinator's hub), not "${values.role}"`);
    role = parsed.data;
  }

  let site = '';
  if (values.site !== undefined) {
    const parsed = SiteNameSchema.safeParse(values.site);
    if (!parsed.success) return error(`--site ${parsed.error.issues[0]?.message ?? 'is not a valid site name'}`);
    site = parsed.data;
  }

  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    return error(values['tls-cert'] === undefined ? '--tls-key needs --tls-cert too: HTTPS needs both the certificate and its key' : '--tls-cert needs --tls-key too: HTTPS needs both the certificate and its key');
  }

  let upstream: HubCliOptions['upstream'] = null;
  if (values['upstream-code'] !== undefined && values.upstream === undefined) return error('--upstream-code needs --upstream <url>: the network hub that gave the code');
  if (values.upstream !== undefined) {
    const url = parseHttpUrl(values.upstream);
    if (url === null) return error(`--upstream must be the network hub's address starting with http:// or https://, for example https://hub.reseau-epn.be, not "${values.upstream}"`);
    let pairingCode: string | undefined;
    if (values['upstream-code'] !== undefined) {
      const code = normalizePairingCode(values['upstream-code']);
      if (code === null) return error(`--upstream-code must be the 8-character hub pairing code the network hub shows, for example K7QM-RXHP, not "${values['upstream-code']}"`);
      pairingCode = code;
    }
    upstream = pairingCode === undefined ? { url } : { url, pairingCode };
  }

  let suppressionThreshold: number | undefined;
  if (values['suppression-threshold'] !== undefined) {
    const text = values['suppression-threshold'];
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < MIN_SUPPRESSION_THRESHOLD || value > MAX_SUPPRESSION_THRESHOLD) {
      return error(`--suppression-threshold must be a whole number from ${MIN_SUPPRESSION_THRESHOLD} to ${MAX_SUPPRESSION_THRESHOLD}, not "${text}"`);
    }
    suppressionThreshold = value;
  }

  return {
    kind: 'run',
    options: {
      dataDir: resolve(values['data-dir'] ?? defaults.dataDir),
      dataDirIsDefault: values['data-dir'] === undefined,
      listen: values.listen?.trim() ?? DEFAULT_HUB_LISTEN,
      port,
      role,
      site,
      tlsCertFile: values['tls-cert'] === undefined ? undefined : resolve(values['tls-cert']),
      tlsKeyFile: values['tls-key'] === undefined ? undefined : resolve(values['tls-key']),
      upstream,
      suppressionThreshold,
      pairStaff: values['pair-staff'] === true,
    },
  };
}

/** "https://hub.example/" → "https://hub.example"; null unless http(s) with a host and nothing after the path. */
function parseHttpUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/* ---------- Running ---------- */

export interface HubCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTerminal: boolean;
}

const processIo: HubCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: process.stdout.isTTY === true,
};

function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

export async function runHubCli(argv: readonly string[], io: HubCliIo = processIo): Promise<number> {
  const printError = (line: string) => io.stderr(`hub: ${line}\n`);
  const parsed = parseHubArguments(argv);
  if (parsed.kind === 'help') {
    io.stdout(`${HUB_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    printError(parsed.message);
    io.stderr(`\n${HUB_USAGE}\n`);
    return 2;
  }
  const { options } = parsed;

  const where = options.dataDirIsDefault ? 'the default; --data-dir chooses another' : 'from --data-dir';
  io.stdout(`Hub data folder: ${options.dataDir} (${where})\n`);

  let host: HubHost;
  try {
    host = await startHubHost({
      listen: options.listen,
      port: options.port,
      role: options.role,
      site: options.site,
      dataDir: options.dataDir,
      ...(options.tlsCertFile === undefined ? {} : { tlsCertFile: options.tlsCertFile }),
      ...(options.tlsKeyFile === undefined ? {} : { tlsKeyFile: options.tlsKeyFile }),
      upstream: options.upstream,
      ...(options.suppressionThreshold === undefined ? {} : { suppressionThreshold: options.suppressionThreshold }),
      log: (line) => io.stdout(`${timestamp()} ${line}\n`),
      settingNames: { listen: '--listen', port: '--port', tlsCertFile: '--tls-cert', tlsKeyFile: '--tls-key' },
    });
  } catch (error) {
    printError(error instanceof HubStartError || error instanceof Error ? error.message : String(error));
    return 1;
  }

  // Listened for before anything is printed: a service manager may stop the hub as soon as it shows life.
  const stopped = closeOnSignal(host, io, printError);

  const roleText = options.role === 'epn' ? 'EPN hub' : 'network hub';
  io.stdout(`EPN Kiosk ${roleText}${options.site === '' ? '' : ` for ${options.site}`} listening on ${host.url} (interface ${host.listen.interfaceName}; Ctrl+C to stop)\n`);
  io.stdout(`Dashboard: ${host.dashboardUrl}\n`);
  if (host.listen.loopbackOnly) {
    io.stdout(`Note: ${host.listen.address} is reachable from this machine only, not from helpers' phones or kiosks: --listen <the interface they reach> (for example --listen eth0) serves the EPN's network.\n`);
  }
  if (host.url.startsWith('http:')) io.stdout('Plain HTTP: anyone on this network can read help calls and credentials in transit; docs/hub.md ("Security", "TLS") says when and how to use --tls-cert/--tls-key.\n');

  try {
    const staffPaired = host.hub.store.listDevices().some((device) => device.role === 'staff');
    if (!staffPaired || options.pairStaff) await printStaffPairing(host, io, staffPaired);
  } catch (error) {
    printError(`could not issue a staff pairing code: ${error instanceof Error ? error.message : String(error)} (the dashboard issues one too, from a paired staff device)`);
  }
  if (host.forwarder !== null) io.stdout(`Upstream: ${describeForwarderStatus(host.forwarder.status())}\n`);

  return stopped;
}

/** Resolves with the exit code once SIGINT or SIGTERM has closed the hub. */
function closeOnSignal(host: HubHost, io: HubCliIo, printError: (line: string) => void): Promise<number> {
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl+C: the person wants out now, even if closing hangs.
        resolveExit(130);
        return;
      }
      stopping = true;
      io.stdout(`Stopping the hub (${signal})…\n`);
      host.close().then(
        () => {
          io.stdout('Hub stopped.\n');
          resolveExit(0);
        },
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

async function printStaffPairing(host: HubHost, io: HubCliIo, staffPaired: boolean): Promise<void> {
  const issued = host.hub.issuePairingCode('staff');
  const why = staffPaired ? '(--pair-staff)' : '(no staff device is paired yet)';
  const until = new Date(issued.expiresAt).toLocaleTimeString();
  io.stdout(`\nStaff pairing code ${why}: ${issued.code} — one device, valid ${STAFF_PAIRING_CODE_MINUTES} minutes (until ${until}).\n`);
  const pairUrl = issued.pairUrl ?? `${host.dashboardUrl}#pair=${issued.code}`;
  io.stdout(`On a helper's phone or the staff PC, open ${pairUrl}\nor scan this QR code:\n`);
  // ANSI colours survive a dark terminal; plain block characters survive journald and log files.
  const qr = await QRCode.toString(pairUrl, io.isTerminal ? { type: 'terminal', small: true } : { type: 'utf8' });
  io.stdout(`${qr}\n`);
  io.stdout('Later codes (more phones, kiosks, an EPN hub for a network hub) come from the dashboard of a paired staff device, or restart with --pair-staff.\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runHubCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`hub: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
