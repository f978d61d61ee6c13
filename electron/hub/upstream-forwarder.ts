/**
 * An EPN hub's forwarding of its kiosks' daily statistics to the network hub upstream
 * (the coordinator's), so one hub collects a whole network.
 *
 * The hub pairs with the network hub once, with a hub pairing code the coordinator gives,
 * and keeps the credential in `<dataDir>/upstream-credential.json`. Then every kiosk-day
 * stored or replaced since it was last forwarded (store.pendingForward) goes up as one
 * upload per kiosk, exactly as the kiosk sent it; the network hub replaces a kiosk-day it
 * already has, so forwarding the same days twice never counts them twice. Kiosk-days are
 * marked forwarded only once the network hub has answered for them, so a restart or a
 * network hub away for a week loses nothing: they simply stay pending.
 *
 * It runs a few seconds after kiosks upload (so a room uploading at once goes up in one
 * round), every 15 minutes, and after a failure on the background back-off schedule. It
 * never throws into the hub: every failure becomes a state and a log line.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HUB_API_PREFIX, MAX_UPLOAD_DAYS, StatisticsUploadResultSchema, type StatisticsUpload } from '../../shared/hub-api';
import { BACKGROUND_RETRY_SCHEDULE_MS, retryDelayMs, spreadDelayMs } from '../../shared/retry-backoff';
import { claimHubCredential, readHubCredential, type HubCredential } from '../services/hub-credential';
import { callHub } from '../services/hub-http';
import type { HubStore, KioskDays } from './hub-store';

export const UPSTREAM_CREDENTIAL_FILE_NAME = 'upstream-credential.json';
/** Uploads are forwarded this long after a kiosk's upload, so the uploads of a whole room go up together. */
export const FORWARD_DEBOUNCE_MS = 5_000;
/** Even without new uploads: a network hub that was away gets what waited, and a revoked credential shows in the log. */
export const FORWARD_PERIOD_MS = 15 * 60_000;
/** A safety stop for one round: the store hands out at most MAX_UPLOAD_DAYS kiosk-days at a time. */
const MAX_BATCHES_PER_ROUND = 1_000;

export type ForwarderState =
  /** Waiting for the next round; nothing failed. */
  | 'idle'
  | 'forwarding'
  /** The last round failed for a reason that may pass (network hub away, busy): the next attempt is scheduled. */
  | 'retrying'
  /** No usable credential and no usable pairing code: a person must act (see lastError). */
  | 'needs-pairing'
  | 'stopped';

export interface ForwarderStatus {
  readonly state: ForwarderState;
  readonly upstreamUrl: string;
  /** This hub's device id at the network hub, once paired. */
  readonly deviceId: string | null;
  readonly lastForwardedAt: number | null;
  /** Kiosk-days the network hub has acknowledged since this hub started. */
  readonly forwardedDays: number;
  /** Failed rounds in a row. */
  readonly failures: number;
  readonly lastError: string | null;
  /** When the next round is due (hub clock), or null when none is planned. */
  readonly nextAttemptAt: number | null;
}

export type ForwardOutcome =
  | { readonly ok: true; readonly forwardedDays: number; readonly kiosks: number }
  | { readonly ok: false; readonly state: 'retrying' | 'needs-pairing' | 'stopped'; readonly message: string };

export interface UpstreamForwarder {
  /** One round now (after the one under way, if any). Resolves, never rejects. */
  forwardNow(): Promise<ForwardOutcome>;
  status(): ForwarderStatus;
  /** Stops the timers and waits for the round under way. */
  close(): Promise<void>;
}

export interface ForwarderTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UpstreamForwarderOptions {
  readonly store: Pick<HubStore, 'pendingForward' | 'markForwarded'>;
  /** HubServer.onStatisticsStored. */
  readonly onStatisticsStored: (listener: () => void) => () => void;
  /** The hub's data folder: the credential is kept there. */
  readonly dataDir: string;
  /** The network hub: "https://hub.reseau-epn.be". */
  readonly upstreamUrl: string;
  /** A hub pairing code from the network hub, used when this hub has no credential for it yet. */
  readonly pairingCode?: string;
  /** This EPN's name: the name it has at the network hub. */
  readonly site: string;
  readonly log: (line: string) => void;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly timers?: ForwarderTimers;
  readonly debounceMs?: number;
  readonly periodMs?: number;
  readonly retrySchedule?: readonly number[];
  /** Draws the spread of retry delays (0 ≤ x < 1). */
  readonly random?: () => number;
  /** Milliseconds before the first round (default 0: what waited during a restart goes up at once). */
  readonly firstRoundInMs?: number;
}

const systemTimers: ForwarderTimers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    // The hub's server keeps the process alive; the forwarder must not keep a stopping one.
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** What this hub is called at the network hub: the site, else the machine. DeviceNameSchema: 1 to 60 characters. */
export function upstreamDeviceName(site: string, machine: string = hostname()): string {
  const name = site.trim() !== '' ? site.trim() : `EPN hub on ${machine.trim() || 'an unnamed machine'}`;
  return name.slice(0, 60);
}

export function createUpstreamForwarder(options: UpstreamForwarderOptions): UpstreamForwarder {
  const upstreamUrl = options.upstreamUrl.replace(/\/+$/, '');
  const credentialFile = join(options.dataDir, UPSTREAM_CREDENTIAL_FILE_NAME);
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const debounceMs = options.debounceMs ?? FORWARD_DEBOUNCE_MS;
  const periodMs = options.periodMs ?? FORWARD_PERIOD_MS;
  const retrySchedule = options.retrySchedule ?? BACKGROUND_RETRY_SCHEDULE_MS;
  const random = options.random ?? Math.random;
  const abort = new AbortController();

  let state: ForwarderState = 'idle';
  let credential: HubCredential | null = null;
  /** Tokens the network hub refused (revoked there): never sent again. */
  const refusedTokens = new Set<string>();
  let pairingCodeRefused = false;
  let lastForwardedAt: number | null = null;
  let forwardedDays = 0;
  let failures = 0;
  let lastError: string | null = null;
  let timer: { readonly handle: unknown; readonly at: number } | null = null;
  let running: Promise<ForwardOutcome> | null = null;
  let queued: Promise<ForwardOutcome> | null = null;

  function log(line: string): void {
    try {
      options.log(`upstream ${upstreamUrl}: ${line}`);
    } catch {
      // A broken log must not stop forwarding.
    }
  }

  /* ---------- Timers ---------- */

  function cancelTimer(): void {
    if (timer !== null) timers.clearTimeout(timer.handle);
    timer = null;
  }

  function scheduleIn(delayMs: number, mode: 'replace' | 'sooner-only'): void {
    if (state === 'stopped') return;
    const at = now() + delayMs;
    if (mode === 'sooner-only' && timer !== null && timer.at <= at) return;
    cancelTimer();
    const handle = timers.setTimeout(() => {
      timer = null;
      void forwardNow();
    }, delayMs);
    timer = { handle, at };
  }

  function onStored(): void {
    try {
      // After a failure the back-off decides; a needed pairing waits for a person.
      if (state === 'retrying' || state === 'needs-pairing' || state === 'stopped') return;
      scheduleIn(debounceMs, 'sooner-only');
    } catch (error) {
      log(`could not plan forwarding: ${describe(error)}`);
    }
  }
  const unsubscribe = options.onStatisticsStored(onStored);

  /* ---------- Credential ---------- */

  type CredentialOutcome = { readonly ok: true; readonly credential: HubCredential } | { readonly ok: false; readonly retryable: boolean; readonly message: string };

  async function ensureCredential(): Promise<CredentialOutcome> {
    if (credential !== null) return { ok: true, credential };
    let existing: HubCredential | null = null;
    try {
      existing = readHubCredential(credentialFile, upstreamUrl);
    } catch (error) {
      log(`cannot read ${credentialFile} (${describe(error)}); pairing again`);
    }
    if (existing !== null && existing.role === 'hub' && !refusedTokens.has(existing.token)) {
      credential = existing;
      return { ok: true, credential };
    }
    if (options.pairingCode === undefined || options.pairingCode.trim() === '' || pairingCodeRefused) {
      const why = existing !== null && refusedTokens.has(existing.token) ? 'the network hub no longer accepts this hub\'s credential (revoked there?)' : 'this hub is not paired with the network hub yet';
      return {
        ok: false,
        retryable: false,
        message: `${why}: ask the network coordinator for a hub pairing code (their dashboard: Devices → "Add an EPN hub") and give it with --upstream-code (npm run hub) or hub.upstream.pairingCode (configuration), then restart the hub`,
      };
    }
    const claim = await claimHubCredential({
      file: credentialFile,
      hubUrl: upstreamUrl,
      code: options.pairingCode,
      name: upstreamDeviceName(options.site),
      site: options.site,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      now,
    });
    if (!claim.ok) {
      if (!claim.retryable) pairingCodeRefused = true;
      return { ok: false, retryable: claim.retryable, message: claim.message };
    }
    if (claim.credential.role !== 'hub') {
      pairingCodeRefused = true;
      return {
        ok: false,
        retryable: false,
        message: `the pairing code was a ${claim.credential.role} code, and forwarding needs a hub code: ask the network coordinator for one (their dashboard: Devices → "Add an EPN hub")`,
      };
    }
    credential = claim.credential;
    log(`paired with the network hub as device ${claim.credential.deviceId}`);
    return { ok: true, credential };
  }

  /* ---------- One round ---------- */

  function fail(message: string, retryable: boolean): ForwardOutcome {
    failures += 1;
    lastError = message;
    if (!retryable) {
      state = 'needs-pairing';
      cancelTimer();
      log(`forwarding stopped: ${message}`);
      return { ok: false, state: 'needs-pairing', message };
    }
    state = 'retrying';
    const delay = spreadDelayMs(retryDelayMs(failures, retrySchedule), random());
    scheduleIn(delay, 'replace');
    log(`${message}; trying again in ${describeDelay(delay)} (attempt ${failures + 1})`);
    return { ok: false, state: 'retrying', message };
  }

  async function round(): Promise<ForwardOutcome> {
    if (state === 'stopped') return { ok: false, state: 'stopped', message: 'the forwarder is stopped' };
    state = 'forwarding';
    try {
      const paired = await ensureCredential();
      if (!paired.ok) return fail(paired.message, paired.retryable);

      let days = 0;
      const kiosks = new Set<string>();
      for (let batchNumber = 0; batchNumber < MAX_BATCHES_PER_ROUND; batchNumber += 1) {
        if (abort.signal.aborted) return { ok: false, state: 'stopped', message: 'the forwarder is stopped' };
        const batch = options.store.pendingForward(MAX_UPLOAD_DAYS);
        if (batch.length === 0) break;
        const delivered: KioskDays[] = [];
        let refusal: { readonly status: number | null; readonly kind: string; readonly message: string } | null = null;
        for (const kioskDays of batch) {
          const upload: StatisticsUpload = { kioskId: kioskDays.kioskId, kiosk: kioskDays.kiosk, days: [...kioskDays.days] };
          const answer = await callHub(upstreamUrl, {
            method: 'POST',
            path: `${HUB_API_PREFIX}/statistics/uploads`,
            token: paired.credential.token,
            body: upload,
            answer: StatisticsUploadResultSchema,
            signal: abort.signal,
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
          });
          if (!answer.ok) {
            refusal = answer;
            break;
          }
          delivered.push(kioskDays);
          kiosks.add(kioskDays.kioskId);
          days += kioskDays.days.length;
        }
        if (delivered.length > 0) {
          options.store.markForwarded(delivered);
          forwardedDays += delivered.reduce((sum, kioskDays) => sum + kioskDays.days.length, 0);
          lastForwardedAt = now();
        }
        if (refusal !== null) {
          if (abort.signal.aborted) return { ok: false, state: 'stopped', message: 'the forwarder is stopped' };
          if (refusal.status === 401 || refusal.status === 403) {
            refusedTokens.add(paired.credential.token);
            credential = null;
            const reason = `the network hub refused this hub's credential (${refusal.message})`;
            // With a pairing code still to try, pairing again is worth a retry; without, a person must act.
            return fail(reason, options.pairingCode !== undefined && !pairingCodeRefused);
          }
          const partly = days > 0 ? ` (${days} days of ${kiosks.size} kiosks went up before)` : '';
          return fail(`${refusal.kind === 'unreachable' ? 'the network hub is unreachable' : 'the network hub did not take the statistics'}: ${refusal.message}${partly}`, true);
        }
      }

      state = 'idle';
      if (failures > 0) log('forwarding works again');
      failures = 0;
      lastError = null;
      if (days > 0) log(`forwarded ${days} ${days === 1 ? 'day' : 'days'} of ${kiosks.size} ${kiosks.size === 1 ? 'kiosk' : 'kiosks'}`);
      // An upload that came during this round has already asked for a sooner one: keep it.
      scheduleIn(periodMs, 'sooner-only');
      return { ok: true, forwardedDays: days, kiosks: kiosks.size };
    } catch (error) {
      if (abort.signal.aborted) return { ok: false, state: 'stopped', message: 'the forwarder is stopped' };
      return fail(`forwarding failed: ${describe(error)}`, true);
    }
  }

  function forwardNow(): Promise<ForwardOutcome> {
    if (state === 'stopped') return Promise.resolve({ ok: false, state: 'stopped', message: 'the forwarder is stopped' });
    if (running === null) {
      running = round().finally(() => {
        running = null;
      });
      return running;
    }
    // A round is under way and may have read the pending days before the newest upload: one more round after it.
    queued ??= running.then(() => {
      queued = null;
      return forwardNow();
    });
    return queued;
  }

  scheduleIn(options.firstRoundInMs ?? 0, 'replace');

  return {
    forwardNow,
    status(): ForwarderStatus {
      return { state, upstreamUrl, deviceId: credential?.deviceId ?? null, lastForwardedAt, forwardedDays, failures, lastError, nextAttemptAt: timer?.at ?? null };
    },
    async close(): Promise<void> {
      if (state === 'stopped') return;
      state = 'stopped';
      cancelTimer();
      unsubscribe();
      abort.abort();
      await (queued ?? running ?? Promise.resolve());
    },
  };
}

/** One line for the CLI and the log. */
export function describeForwarderStatus(status: ForwarderStatus, now: number = Date.now()): string {
  const parts = [`forwarding statistics to ${status.upstreamUrl}`];
  if (status.deviceId !== null) parts.push(`paired as ${status.deviceId}`);
  switch (status.state) {
    case 'idle':
    case 'forwarding':
      parts.push(status.lastForwardedAt === null ? 'nothing forwarded yet' : `${status.forwardedDays} days forwarded since start`);
      break;
    case 'retrying':
      parts.push(`failing (${status.lastError ?? 'unknown reason'})${status.nextAttemptAt === null ? '' : `, next attempt in ${describeDelay(Math.max(0, status.nextAttemptAt - now))}`}`);
      break;
    case 'needs-pairing':
      parts.push(`stopped: ${status.lastError ?? 'needs a pairing code'}`);
      break;
    case 'stopped':
      parts.push('stopped');
      break;
  }
  return parts.join('; ');
}

function describeDelay(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
