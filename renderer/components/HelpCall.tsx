/**
 * The visitor's call for help as the screens know it: the main side's help status
 * (shared/contract.ts, HelpStatus), followed through `help:changed` and asked with
 * `help.get()` when a visitor is there (at start, after a reload of the screens), plus
 * what only the screens know: a call being sent whose first attempt is not over yet, and
 * a call that could not even be handed to the main side (the envelope was not ok).
 *
 * Ordering: an answer (to `help.request`, `help.get` or `help.cancel`) never overrides a
 * push that arrived while it was asked, except a push of "calling" during a request (the
 * answer says how that very attempt ended). A cancel, once done, makes the answer to a
 * request asked before it stale. When the visitor leaves, everything of theirs is dropped here;
 * the main side cancels the call itself at the session's end.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { HelpStatusSchema, type ArgumentOf, type HelpStatus, type KioskBridge } from '../../shared/contract';
import { callSafely } from '../bridge/call-safely';

/** What the help dialog shows. */
export type HelpView =
  | { readonly state: 'none' }
  /** Being sent: the first attempt is not over. */
  | { readonly state: 'calling' }
  /** `canBeAcknowledged`: the EPN's hub took it (a helper's "I'm coming" will follow); false when only a webhook did. */
  | { readonly state: 'called'; readonly canBeAcknowledged: boolean }
  | { readonly state: 'coming' }
  /** Nobody could be reached yet; the main side keeps trying. */
  | { readonly state: 'unreachable' }
  /** No help channel on this kiosk. */
  | { readonly state: 'no-channel' }
  /** The request itself failed (never reached the help service): nobody was told and nothing is retried. */
  | { readonly state: 'failed' };

export type HelpViewState = HelpView['state'];

export type HelpRequestArgument = ArgumentOf<'help:request'>;

export interface HelpCall {
  readonly view: HelpView;
  /** True while a cancel is under way (its button waits for the answer). */
  readonly cancelling: boolean;
  /** True when the last cancel could not be done: the call is still open. */
  readonly cancelFailed: boolean;
  /** Sends a call, unless one is open or being sent. Resolves with what the dialog shows once the first attempt is over. */
  readonly request: (argument: HelpRequestArgument) => Promise<HelpView>;
  /** Withdraws the open call. */
  readonly cancel: () => Promise<void>;
}

const NONE: HelpView = { state: 'none' };

/** A call the helpers know of or that is still being tried: Help shows it again instead of sending another. */
export function isCallOpen(view: HelpView): boolean {
  return view.state === 'calling' || view.state === 'called' || view.state === 'coming' || view.state === 'unreachable';
}

function viewOf(status: HelpStatus): HelpView {
  switch (status.state) {
    case 'called':
      return { state: 'called', canBeAcknowledged: status.canBeAcknowledged };
    default:
      return { state: status.state };
  }
}

function parseStatus(value: unknown): HelpStatus | null {
  const parsed = HelpStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function useHelpCall(bridge: KioskBridge, present: boolean): HelpCall {
  const [status, setStatus] = useState<HelpView>(NONE);
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [cancelFailed, setCancelFailed] = useState(false);

  // Read and written only by listeners and async steps, never while rendering.
  const pushes = useRef(0);
  /** Pushes other than "calling": they say more than an answer to a request asked before them. */
  const decisivePushes = useRef(0);
  /** Bumped by each request and each cancel done: only the answer to the latest request counts. */
  const requests = useRef(0);
  const sendingNow = useRef(false);
  /** Bumped when the visitor leaves: answers to questions asked for them are dropped. */
  const visit = useRef(0);
  const viewNow = useRef<HelpView>(NONE);

  // When the visitor leaves, nothing of their call stays on the screens.
  const [wasPresent, setWasPresent] = useState(present);
  if (wasPresent !== present) {
    setWasPresent(present);
    if (!present) {
      setStatus(NONE);
      setSending(false);
      setFailed(false);
      setCancelling(false);
      setCancelFailed(false);
    }
  }

  const view: HelpView = failed ? { state: 'failed' } : sending && !isCallOpen(status) ? { state: 'calling' } : status;
  useEffect(() => {
    viewNow.current = view;
  });

  useEffect(() => {
    if (!present) return;
    let stopped = false;
    const thisVisit = visit.current;
    const unsubscribe = bridge.help.onChanged((payload) => {
      const parsed = parseStatus(payload);
      if (parsed === null || stopped) return;
      pushes.current += 1;
      if (parsed.state !== 'calling') decisivePushes.current += 1;
      setStatus(viewOf(parsed));
      setFailed(false);
      setCancelFailed(false);
    });
    // After a reload of the screens, a call may already be open.
    const pushesBefore = pushes.current;
    void callSafely(() => bridge.help.get()).then((result) => {
      if (stopped || visit.current !== thisVisit || !result.ok || pushes.current !== pushesBefore) return;
      const parsed = parseStatus(result.value);
      if (parsed !== null && !sendingNow.current) setStatus(viewOf(parsed));
    });
    return () => {
      stopped = true;
      visit.current += 1;
      sendingNow.current = false;
      unsubscribe();
    };
  }, [bridge, present]);

  const request = useCallback(
    async (argument: HelpRequestArgument): Promise<HelpView> => {
      if (sendingNow.current || isCallOpen(viewNow.current)) return viewNow.current;
      sendingNow.current = true;
      setSending(true);
      setFailed(false);
      setCancelFailed(false);
      const thisVisit = visit.current;
      const decisiveBefore = decisivePushes.current;
      const thisRequest = ++requests.current;
      const result = await callSafely(() => bridge.help.request(argument));
      // The visitor left, or the call was cancelled since: this answer is stale.
      if (visit.current !== thisVisit || requests.current !== thisRequest) return viewNow.current;
      sendingNow.current = false;
      setSending(false);
      // A push since the question says more than this answer.
      if (decisivePushes.current !== decisiveBefore) return viewNow.current;
      const parsed = result.ok ? parseStatus(result.value) : null;
      if (parsed === null) {
        // Never a raw error: the visitor is told honestly that nobody was told, with the fallback.
        setFailed(true);
        return { state: 'failed' };
      }
      const shown = viewOf(parsed);
      setStatus(shown);
      return shown;
    },
    [bridge],
  );

  const cancel = useCallback(async () => {
    const thisVisit = visit.current;
    if (viewNow.current.state === 'failed') {
      // Nothing reached the main side: there is nothing to withdraw.
      setFailed(false);
      setStatus(NONE);
      return;
    }
    setCancelling(true);
    setCancelFailed(false);
    const pushesBefore = pushes.current;
    const result = await callSafely(() => bridge.help.cancel());
    if (visit.current !== thisVisit) return;
    setCancelling(false);
    const parsed = result.ok ? parseStatus(result.value) : null;
    if (parsed === null) {
      setCancelFailed(true);
      return;
    }
    // Whatever a request asked before the cancel answers, the call is withdrawn.
    requests.current += 1;
    sendingNow.current = false;
    setSending(false);
    if (pushes.current === pushesBefore) setStatus(viewOf(parsed));
  }, [bridge]);

  return { view, cancelling, cancelFailed, request, cancel };
}
