/**
 * Starts a hub from what a person wrote: an address or interface name, TLS file paths, a
 * network hub to forward to. Shared by `npm run hub` (hub-cli.ts) and the staff PC's kiosk
 * app (electron/main.ts, when kiosk.role is "staff", through startHubFromSettings).
 *
 * Every failure becomes a HubStartError with one line that names the setting or file at
 * fault and what to do, because the person reading it runs an EPN, not a server room.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { HubHostSettings } from '../../shared/config/schema';
import { DEFAULT_HUB_PORT, type HubRole } from '../../shared/hub-api';
import { startHub, type HubLimits, type HubServer } from './hub-server';
import { resolveListenAddress, type NetworkInterfaceTable, type ResolvedListenAddress } from './listen-address';
import { createUpstreamForwarder, type UpstreamForwarder, type UpstreamForwarderOptions } from './upstream-forwarder';

/** A start-up failure told in one line; nothing is left running. */
export class HubStartError extends Error {
  override readonly name = 'HubStartError';
}

export interface HubHostOptions {
  /** An address or interface name (listen-address.ts). */
  readonly listen: string;
  /** 0 lets the system choose. */
  readonly port: number;
  readonly role: HubRole;
  readonly site: string;
  readonly dataDir: string;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  readonly upstream?: { readonly url: string; readonly pairingCode?: string } | null;
  readonly suppressionThreshold?: number;
  readonly dashboardDir?: string;
  readonly nativeBinding?: string;
  readonly limits?: Partial<HubLimits>;
  readonly log: (line: string) => void;
  /** Where the names of the settings come from, for messages: "--listen" or "hub.listen". */
  readonly settingNames?: Partial<Record<'listen' | 'port' | 'tlsCertFile' | 'tlsKeyFile', string>>;
  /** Tests: the machine's interfaces, the forwarder's timing. */
  readonly interfaces?: NetworkInterfaceTable;
  readonly forwarderTiming?: Pick<UpstreamForwarderOptions, 'debounceMs' | 'periodMs' | 'retrySchedule' | 'timers' | 'random' | 'firstRoundInMs' | 'fetch'>;
}

export interface HubHost {
  /** "http://192.168.1.10:8470", no trailing slash. */
  readonly url: string;
  /** Where helpers open the dashboard: `${url}/dashboard/`. */
  readonly dashboardUrl: string;
  readonly listen: ResolvedListenAddress;
  readonly hub: HubServer;
  /** Present when the hub forwards its statistics upstream. */
  readonly forwarder: UpstreamForwarder | null;
  close(): Promise<void>;
}

const DEFAULT_SETTING_NAMES = { listen: 'listen', port: 'port', tlsCertFile: 'TLS certificate', tlsKeyFile: 'TLS key' } as const;

export async function startHubHost(options: HubHostOptions): Promise<HubHost> {
  const names = { ...DEFAULT_SETTING_NAMES, ...options.settingNames };

  const resolution = resolveListenAddress(options.listen, options.interfaces);
  if (!resolution.ok) throw new HubStartError(`${names.listen} "${options.listen}": ${resolution.message}`);
  const listen = resolution.listen;

  const tls = readTlsFiles(options.tlsCertFile, options.tlsKeyFile, names);

  try {
    mkdirSync(options.dataDir, { recursive: true });
  } catch (error) {
    throw new HubStartError(`cannot create the hub's data folder ${options.dataDir}: ${describe(error)}`);
  }

  let hub: HubServer;
  try {
    hub = await startHub({
      dataDir: options.dataDir,
      host: listen.address,
      port: options.port,
      role: options.role,
      site: options.site,
      ...(options.suppressionThreshold === undefined ? {} : { suppressionThreshold: options.suppressionThreshold }),
      ...(tls === null ? {} : { tls }),
      ...(options.dashboardDir === undefined ? {} : { dashboardDir: options.dashboardDir }),
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      log: options.log,
    });
  } catch (error) {
    throw new HubStartError(describeStartFailure(error, listen.address, options.port, names.port));
  }

  let forwarder: UpstreamForwarder | null = null;
  if (options.upstream != null) {
    try {
      forwarder = createUpstreamForwarder({
        store: hub.store,
        onStatisticsStored: (listener) => hub.onStatisticsStored(listener),
        dataDir: options.dataDir,
        upstreamUrl: options.upstream.url,
        ...(options.upstream.pairingCode === undefined ? {} : { pairingCode: options.upstream.pairingCode }),
        site: options.site,
        log: options.log,
        ...options.forwarderTiming,
      });
    } catch (error) {
      await hub.close();
      throw new HubStartError(`cannot start forwarding to ${options.upstream.url}: ${describe(error)}`);
    }
  }

  let closing: Promise<void> | null = null;
  return {
    url: hub.url,
    dashboardUrl: `${hub.url}/dashboard/`,
    listen,
    hub,
    forwarder,
    close() {
      closing ??= (async () => {
        // The forwarder first: it reads the store the hub is about to close.
        if (forwarder !== null) await forwarder.close();
        await hub.close();
      })();
      return closing;
    },
  };
}

export interface HubFromSettingsOptions {
  readonly settings: HubHostSettings;
  /** kiosk.site of the staff PC's configuration. */
  readonly site: string;
  /** The staff PC's hub folder, for example `<userData>/hub`. */
  readonly dataDir: string;
  readonly nativeBinding?: string;
  readonly log: (line: string) => void;
  readonly dashboardDir?: string;
  readonly interfaces?: NetworkInterfaceTable;
}

/** The staff PC's hub (kiosk.role "staff"): an EPN hub on the configured interface, forwarding upstream when configured. */
export async function startHubFromSettings(options: HubFromSettingsOptions): Promise<HubHost> {
  const { settings } = options;
  return startHubHost({
    listen: settings.listen,
    port: settings.port ?? DEFAULT_HUB_PORT,
    role: 'epn',
    site: options.site,
    dataDir: options.dataDir,
    ...(settings.tlsCertFile === undefined ? {} : { tlsCertFile: settings.tlsCertFile }),
    ...(settings.tlsKeyFile === undefined ? {} : { tlsKeyFile: settings.tlsKeyFile }),
    upstream: settings.upstream ?? null,
    ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    ...(options.dashboardDir === undefined ? {} : { dashboardDir: options.dashboardDir }),
    ...(options.interfaces === undefined ? {} : { interfaces: options.interfaces }),
    log: options.log,
    settingNames: { listen: 'hub.listen', port: 'hub.port', tlsCertFile: 'hub.tlsCertFile', tlsKeyFile: 'hub.tlsKeyFile' },
  });
}

/* ---------- TLS ---------- */

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Both files or neither; each read and the pair checked now, so a wrong file is named at start, not at the first phone's connection. */
export function readTlsFiles(certFile: string | undefined, keyFile: string | undefined, names: { readonly tlsCertFile: string; readonly tlsKeyFile: string } = DEFAULT_SETTING_NAMES): TlsMaterial | null {
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined) {
    const missing = certFile === undefined ? names.tlsCertFile : names.tlsKeyFile;
    throw new HubStartError(`${missing} is missing: HTTPS needs both the certificate and its private key (PEM files), or neither for plain HTTP`);
  }
  const cert = readPem(certFile, names.tlsCertFile, 'CERTIFICATE');
  const key = readPem(keyFile, names.tlsKeyFile, 'PRIVATE KEY');
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new HubStartError(
      `the ${names.tlsCertFile} ${certFile} and the ${names.tlsKeyFile} ${keyFile} cannot be used together (${describe(error)}): check that the key belongs to the certificate and is not protected by a passphrase (docs/hub.md, "TLS")`,
    );
  }
  return { cert, key };
}

function readPem(file: string, settingName: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'this account may not read it' : code === 'EISDIR' ? 'it is a folder' : describe(error);
    throw new HubStartError(`cannot read the ${settingName} file ${file}: ${why}`);
  }
  const text = content.toString('latin1');
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    throw new HubStartError(`the ${settingName} file ${file} holds no PEM ${kind.toLowerCase()} (a text block starting "-----BEGIN ${kind === 'CERTIFICATE' ? 'CERTIFICATE' : 'PRIVATE KEY'}-----")${kind === 'CERTIFICATE' && /PRIVATE KEY-----/.test(text) ? ': it holds a private key; were the certificate and key swapped?' : ''}`);
  }
  return content;
}

/* ---------- Start failures ---------- */

function describeStartFailure(error: unknown, address: string, port: number, portSetting: string): string {
  // startHub already words the common listen failures; its message is the one line to show.
  if (error instanceof Error && error.cause !== undefined) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `${address}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${address} is already in use: another hub or program listens there. Stop it, or choose another ${portSetting}`;
    case 'EACCES':
      return `this account may not listen on ${where}: ports below 1024 need administrator rights; choose a ${portSetting} of 1024 or above (the default is ${DEFAULT_HUB_PORT})`;
    case 'EADDRNOTAVAIL':
      return `${address} is no longer an address of this machine (network changed?): name the interface instead of its address, or check the network connection`;
    default:
      return `the hub could not start on ${where}: ${describe(error)}`;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
