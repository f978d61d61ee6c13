/**
 * Sends the kiosk's daily figures to its EPN hub (POST /api/v1/statistics/uploads), so
 * staff see the whole room's figures on the dashboard and the hub can pass them on to a
 * network hub (docs/statistics.md).
 *
 * What goes: the unsuppressed daily figures (shared/statistics) of the last 30 finished
 * days, under the kiosk's random statistics id — the hub suppresses small counts when
 * figures leave it, as the kiosk does for its own exports. Today is never sent: it is
 * not over. The same days are sent again every hour; the hub replaces a kiosk's day
 * rather than adding to it, so sending again is safe, and a day whose late events changed
 * its figures is corrected on the next round.
 *
 * When: at start and every hour; after a failure, on the background schedule (10 s,
 * 30 s, 1 min, 5 min, then every 15 min) until it goes through. Never throws.
 */
import { StatisticsUploadResultSchema } from '../../shared/hub-api';
import { BACKGROUND_RETRY_SCHEDULE_MS, retryDelayMs } from '../../shared/retry-backoff';
import { addDays, isValidDay } from '../../shared/statistics/calendar';
import type { KioskLabels } from '../../shared/statistics/export-format';
import type { Clock } from './clock';
import type { HubCredentialKeeper } from './hub-credential';
import { callHub } from './hub-http';
import { machineLocalDay, type DailyFiguresSource } from './usage-store';

export const STATISTICS_UPLOAD_INTERVAL_MS = 3_600_000;
/** Days before today sent each time. */
export const STATISTICS_UPLOAD_DAYS = 30;
/** A statistics upload is larger than other calls; the hub may take a moment to store it. */
const UPLOAD_TIMEOUT_MS = 30_000;

export interface StatisticsUploadOptions {
  /** The configured hub's address, read at each round; null when none (nothing is sent). */
  readonly hubUrl: () => string | null;
  readonly credentials: HubCredentialKeeper;
  readonly figures: DailyFiguresSource;
  /** The kiosk's random statistics id, the one it paired with. */
  readonly kioskId: string;
  /** The kiosk's name and site as configured now. */
  readonly kiosk: () => KioskLabels;
  readonly clock: Clock;
  /** The kiosk's local calendar day at an instant; the machine's time zone unless a test fixes it. */
  readonly localDay?: (epochMs: number) => string;
  readonly fetch?: typeof fetch;
  readonly log: (line: string) => void;
  readonly intervalMs?: number;
  readonly days?: number;
}

export type UploadOutcome =
  | { readonly kind: 'sent'; readonly days: number; readonly stored: number; readonly replaced: number }
  /** No hub configured, not paired yet, or no figures to send. */
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface StatisticsUploader {
  /** One round now (the timers carry on as before). Never rejects. */
  uploadNow(): Promise<UploadOutcome>;
  close(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startStatisticsUpload(options: StatisticsUploadOptions): StatisticsUploader {
  const { clock, log } = options;
  const localDay = options.localDay ?? machineLocalDay;
  const intervalMs = options.intervalMs ?? STATISTICS_UPLOAD_INTERVAL_MS;
  const dayCount = options.days ?? STATISTICS_UPLOAD_DAYS;
  let cancelTimer: (() => void) | null = null;
  let failures = 0;
  let lastProblem: string | null = null;
  let running: Promise<UploadOutcome> | null = null;
  let closed = false;

  async function upload(): Promise<UploadOutcome> {
    const hubUrl = options.hubUrl();
    if (hubUrl === null) return { kind: 'skipped', reason: 'no hub is configured' };
    const today = localDay(clock.now());
    if (!isValidDay(today)) return { kind: 'failed', message: `the clock gives the day "${today}", which is not a day` };
    const days = options.figures.dailyFigures({ from: addDays(today, -dayCount), to: addDays(today, -1) });
    if (days.length === 0) return { kind: 'skipped', reason: 'no figures yet' };
    const credential = await options.credentials.current();
    if (credential === null) return { kind: 'skipped', reason: 'this kiosk is not paired with the hub yet' };
    if (closed) return { kind: 'skipped', reason: 'closing' };
    const result = await callHub(hubUrl, {
      method: 'POST',
      path: '/api/v1/statistics/uploads',
      token: credential.token,
      body: { kioskId: options.kioskId, kiosk: { name: options.kiosk().name, site: options.kiosk().site }, days },
      answer: StatisticsUploadResultSchema,
      timeoutMs: UPLOAD_TIMEOUT_MS,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    if (!result.ok) {
      if (result.kind === 'refused' && result.status === 401) options.credentials.refused(credential);
      return { kind: 'failed', message: result.message };
    }
    return { kind: 'sent', days: days.length, ...result.value };
  }

  function arm(delayMs: number): void {
    cancelTimer?.();
    if (closed) return;
    cancelTimer = clock.setTimer(() => {
      cancelTimer = null;
      void round();
    }, delayMs);
  }

  function round(): Promise<UploadOutcome> {
    running ??= (async () => {
      let outcome: UploadOutcome;
      try {
        outcome = await upload();
      } catch (error) {
        outcome = { kind: 'failed', message: `unexpected error: ${describe(error)}` };
      }
      if (outcome.kind === 'failed') {
        failures += 1;
        const delayMs = retryDelayMs(failures, BACKGROUND_RETRY_SCHEDULE_MS);
        if (outcome.message !== lastProblem) log(`statistics upload: ${outcome.message}; trying again in ${Math.round(delayMs / 1000)} s`);
        lastProblem = outcome.message;
        arm(delayMs);
      } else {
        if (lastProblem !== null && outcome.kind === 'sent') log(`statistics upload: the hub took ${outcome.days} day(s) of figures again`);
        if (outcome.kind === 'sent') lastProblem = null;
        failures = 0;
        arm(intervalMs);
      }
      return outcome;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  void round();

  return {
    uploadNow: () => (closed ? Promise.resolve({ kind: 'skipped', reason: 'closed' }) : round()),
    close() {
      closed = true;
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}
