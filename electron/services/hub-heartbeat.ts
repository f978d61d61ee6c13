/**
 * The kiosk's heartbeat to its EPN hub (POST /api/v1/heartbeat): its name, site, what it
 * is doing (free, a visitor there, out of order) and its version, every heartbeatSeconds
 * (the hub says how often), and at once when the session changes phase, so the staff
 * dashboard shows which PCs are busy and which are offline.
 *
 * While the hub cannot be reached, heartbeats back off (10 s, 30 s, then every minute)
 * and one log line says so; another says when the hub answers again. Not paired yet: the
 * credential keeper claims with the configured code at the first beat and says what is
 * missing otherwise. Never throws.
 */
import type { SessionPhase, SessionSnapshot } from '../../shared/contract';
import { HEARTBEAT_SECONDS, HeartbeatResponseSchema, type KioskActivity } from '../../shared/hub-api';
import { HEARTBEAT_RETRY_SCHEDULE_MS, retryDelayMs } from '../../shared/retry-backoff';
import type { Clock } from './clock';
import type { HubCredentialKeeper } from './hub-credential';
import { callHub } from './hub-http';

/** What the dashboard shows for a session phase. */
export function kioskActivityOf(phase: SessionPhase): KioskActivity {
  switch (phase) {
    case 'welcome':
    case 'erased':
      return 'free';
    case 'active':
    case 'idle-warning':
    case 'ending':
      return 'in-session';
    case 'out-of-order':
      return 'out-of-order';
  }
}

export interface HubHeartbeatOptions {
  /** The configured hub's address, read at each beat; null when none (nothing is sent). */
  readonly hubUrl: () => string | null;
  readonly credentials: HubCredentialKeeper;
  /** The kiosk's name and site as configured now. */
  readonly kiosk: () => { readonly name: string; readonly site: string };
  /** The app's version ("0.1.0"). */
  readonly appVersion: string;
  readonly clock: Pick<Clock, 'setTimer'>;
  readonly fetch?: typeof fetch;
  readonly log: (line: string) => void;
}

export interface HubHeartbeat {
  /** Each new session snapshot: a change of activity is sent at once. */
  sessionChanged(snapshot: SessionSnapshot): void;
  /** Stops the timer; a beat in flight finishes on its own. */
  close(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startHubHeartbeat(options: HubHeartbeatOptions): HubHeartbeat {
  const { clock, log } = options;
  let activity: KioskActivity = 'free';
  let cancelTimer: (() => void) | null = null;
  let beating = false;
  /** Something changed while a beat was in flight: send again right after it. */
  let again = false;
  let failures = 0;
  let lastProblem: string | null = null;
  let closed = false;

  function arm(delayMs: number): void {
    cancelTimer?.();
    if (closed) return;
    cancelTimer = clock.setTimer(() => {
      cancelTimer = null;
      void beat();
    }, delayMs);
  }

  function failed(problem: string, checkAgainMs?: number): void {
    failures += 1;
    const delayMs = checkAgainMs ?? retryDelayMs(failures, HEARTBEAT_RETRY_SCHEDULE_MS);
    if (problem !== lastProblem) log(`heartbeat: ${problem}; trying again in ${Math.round(delayMs / 1000)} s`);
    lastProblem = problem;
    arm(delayMs);
  }

  async function beat(): Promise<void> {
    if (closed) return;
    if (beating) {
      again = true;
      return;
    }
    beating = true;
    cancelTimer?.();
    cancelTimer = null;
    try {
      const hubUrl = options.hubUrl();
      if (hubUrl === null) {
        // No hub configured: look again later, in case the configuration gains one.
        failures = 0;
        lastProblem = null;
        arm(HEARTBEAT_SECONDS * 1000 * 6);
        return;
      }
      const credential = await options.credentials.current();
      if (closed) return;
      if (credential === null) {
        failed('this kiosk is not paired with the hub yet');
        return;
      }
      const kiosk = options.kiosk();
      const result = await callHub(hubUrl, {
        method: 'POST',
        path: '/api/v1/heartbeat',
        token: credential.token,
        body: { name: kiosk.name, site: kiosk.site, activity, appVersion: options.appVersion },
        answer: HeartbeatResponseSchema,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      if (closed) return;
      if (!result.ok) {
        if (result.kind === 'refused' && result.status === 401) options.credentials.refused(credential);
        failed(result.message);
        return;
      }
      if (lastProblem !== null) log(`heartbeat: the hub at ${hubUrl} answers again`);
      failures = 0;
      lastProblem = null;
      arm(result.value.heartbeatSeconds * 1000);
    } catch (error) {
      failed(`unexpected error: ${describe(error)}`);
    } finally {
      beating = false;
      if (again && !closed) {
        again = false;
        void beat();
      }
    }
  }

  void beat();

  return {
    sessionChanged(snapshot) {
      const next = kioskActivityOf(snapshot.phase);
      if (next === activity) return;
      activity = next;
      void beat();
    },
    close() {
      closed = true;
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}
