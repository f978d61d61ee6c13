/**
 * The staff PIN pad: large digit keys (the keyboard's digits, Backspace, Enter and
 * Escape work too), the digits typed shown as dots, and one message line.
 *
 * - No PIN set yet (first start): staff choose a PIN, then type it again to confirm;
 *   `staff.setFirstPin` opens staff mode.
 * - Otherwise `staff.open({pin})`. A wrong PIN says how many wrong attempts so far;
 *   after too many the main side locks the pad until `retryAt`, and the pad counts down
 *   ("Try again in 0:45") from `retryAt` minus the main side's time when the status was
 *   read, less the time elapsed here since: the two clocks are never compared.
 * - Cancel (or Escape) goes back to where the visitor screens were.
 *
 * Part of the launcher's bundle, so kept small; its texts are common.json's staffEntry.*.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskBridge, StaffStatus } from '../../shared/contract';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';
import { ModalDialog } from '../components/ModalDialog';
import './pin-pad.css';

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 12;

/** A staff status with the main side's time when it was read and this page's time when it arrived. */
export interface ReceivedStaffStatus {
  readonly status: StaffStatus;
  /** The main side's clock at about the moment the status was read, or null when unknown. */
  readonly mainNow: number | null;
  /** `performance.now()` when it arrived here. */
  readonly receivedAt: number;
}

/**
 * The main side's time, for countdowns: StaffStatus carries none, so the session
 * snapshot's `at` (the same clock) is asked for along with it.
 */
export async function receiveStaffStatus(bridge: KioskBridge, status: StaffStatus): Promise<ReceivedStaffStatus> {
  const session = await callSafely(() => bridge.session.get());
  return { status, mainNow: session.ok ? session.value.at : null, receivedAt: performance.now() };
}

/** Milliseconds the pad stays locked, from the main side's own times; 0 when it is not locked. */
export function lockedForMs(received: ReceivedStaffStatus | null, now: number): number {
  if (received === null || received.status.retryAt === null) return 0;
  // Without the main side's time, this PC's clock stands in for it (the kiosk's main side runs on this PC).
  const mainNow = received.mainNow ?? Date.now() - (now - received.receivedAt);
  return Math.max(0, received.status.retryAt - mainNow - Math.max(0, now - received.receivedAt));
}

/** "0:45", "1:30": minutes and seconds, rounded up so "0:00" never shows while locked. */
export function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Re-renders every quarter second while the pad is locked; the milliseconds left. */
function useLockedFor(received: ReceivedStaffStatus | null): number {
  const [now, setNow] = useState(() => performance.now());
  const left = lockedForMs(received, now);
  useEffect(() => {
    if (lockedForMs(received, performance.now()) <= 0) return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [received]);
  // A new status arrived after the last tick: count from it.
  return received !== null && received.receivedAt > now ? lockedForMs(received, received.receivedAt) : left;
}

type Step = { readonly kind: 'enter' } | { readonly kind: 'choose' } | { readonly kind: 'confirm'; readonly first: string };

type Message =
  | { readonly kind: 'wrong'; readonly count: number }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'length' }
  | { readonly kind: 'failed' }
  | null;

export interface PinPadProps {
  /** The last status read; null when it could not be read (the pad then asks for the PIN). */
  readonly received: ReceivedStaffStatus | null;
  /** Staff mode is open: the staff screen may show. */
  readonly onOpened: () => void;
  readonly onCancel: () => void;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function PinPad({ received: initial, onOpened, onCancel }: PinPadProps) {
  const bridge = useKioskBridge();
  const { t } = useTranslation();
  const titleId = useId();
  const descriptionId = useId();
  const firstKey = useRef<HTMLButtonElement>(null);
  const [received, setReceived] = useState<ReceivedStaffStatus | null>(initial);
  const [step, setStep] = useState<Step>(initial !== null && !initial.status.pinSet ? { kind: 'choose' } : { kind: 'enter' });
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const lockedMs = useLockedFor(received);
  const locked = lockedMs > 0;

  // A newer status pushed by the main side (the pad unlocked, a PIN set elsewhere).
  const [seen, setSeen] = useState(initial);
  if (seen !== initial) {
    setSeen(initial);
    if (initial !== null && (received === null || initial.receivedAt > received.receivedAt)) setReceived(initial);
  }

  const disabled = busy || locked;

  const type = (digit: string) => {
    if (disabled) return;
    setMessage(null);
    setPin((current) => (current.length >= PIN_MAX_DIGITS ? current : current + digit));
  };
  const erase = () => {
    if (disabled) return;
    setPin((current) => current.slice(0, -1));
  };

  const submit = async () => {
    if (disabled) return;
    if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) {
      setMessage({ kind: 'length' });
      return;
    }
    const typed = pin;
    setPin('');
    if (step.kind === 'choose') {
      setStep({ kind: 'confirm', first: typed });
      setMessage(null);
      return;
    }
    if (step.kind === 'confirm') {
      if (typed !== step.first) {
        setStep({ kind: 'choose' });
        setMessage({ kind: 'mismatch' });
        return;
      }
      setBusy(true);
      const result = await callSafely(() => bridge.staff.setFirstPin({ pin: typed }));
      setBusy(false);
      if (result.ok && result.value.open) {
        onOpened();
        return;
      }
      // Refused (a PIN was set meanwhile, for example): ask for the PIN.
      setMessage({ kind: 'failed' });
      const status = await callSafely(() => bridge.staff.status());
      if (status.ok) {
        setReceived(await receiveStaffStatus(bridge, status.value));
        setStep(status.value.pinSet ? { kind: 'enter' } : { kind: 'choose' });
      }
      return;
    }
    setBusy(true);
    const result = await callSafely(() => bridge.staff.open({ pin: typed }));
    if (!result.ok) {
      setBusy(false);
      setMessage({ kind: 'failed' });
      return;
    }
    const answer = result.value;
    if (answer.ok) {
      setBusy(false);
      onOpened();
      return;
    }
    setReceived(await receiveStaffStatus(bridge, answer.status));
    setBusy(false);
    if (answer.reason === 'no-pin') {
      setStep({ kind: 'choose' });
      setMessage(null);
    } else if (answer.reason === 'wrong-pin') {
      setMessage({ kind: 'wrong', count: answer.status.failedAttempts });
    } else {
      setMessage(null);
    }
  };

  // The keyboard works wherever focus is (a key that was just disabled, the page itself).
  const keys = useRef({ type, erase, submit, onCancel });
  useEffect(() => {
    keys.current = { type, erase, submit, onCancel };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (/^[0-9]$/.test(event.key)) {
        event.preventDefault();
        keys.current.type(event.key);
      } else if (event.key === 'Backspace') {
        event.preventDefault();
        keys.current.erase();
      } else if (event.key === 'Enter' && target?.tagName !== 'BUTTON') {
        event.preventDefault();
        void keys.current.submit();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        keys.current.onCancel();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const title = step.kind === 'enter' ? t('staffEntry.enterPin') : step.kind === 'choose' ? t('staffEntry.choosePin') : t('staffEntry.confirmPin');
  const messageText =
    message === null
      ? null
      : message.kind === 'wrong'
        ? t('staffEntry.wrongPin', { count: message.count })
        : message.kind === 'mismatch'
          ? t('staffEntry.pinMismatch')
          : message.kind === 'length'
            ? t('staffEntry.pinLength')
            : t('staffEntry.failed');

  return (
    <ModalDialog role="dialog" titleId={titleId} descriptionId={descriptionId} initialFocus={firstKey} onDismiss={onCancel} className="pin-pad">
      <div className="pin-pad-body" data-testid="pin-pad" data-step={step.kind} data-locked={locked ? 'true' : undefined}>
        <p className="pin-pad-kicker">{t('staffEntry.title')}</p>
        <h1 id={titleId} className="pin-pad-title">
          {title}
        </h1>
        <p id={descriptionId} className="pin-pad-hint">
          {step.kind === 'enter' ? t('staffEntry.pinLength') : t('staffEntry.choosePinHint')}
        </p>
        <div className="pin-dots" role="status" aria-label={t('staffEntry.digits', { count: pin.length })}>
          {Array.from({ length: Math.max(PIN_MIN_DIGITS, pin.length) }, (_, index) => (
            <span key={index} className={index < pin.length ? 'pin-dot pin-dot-filled' : 'pin-dot'} aria-hidden="true" />
          ))}
        </div>
        <div className="pin-messages">
          {locked && (
            <p className="pin-message pin-message-locked" role="timer" data-testid="pin-throttled">
              {t('staffEntry.throttled', { time: formatWait(lockedMs) })}
            </p>
          )}
          {messageText !== null && (
            <p className="pin-message" role="alert">
              {messageText}
            </p>
          )}
          {busy && (
            <p className="pin-message pin-message-busy" role="status">
              {t('staffEntry.checking')}
            </p>
          )}
        </div>
        <div className="pin-keys">
          {KEYS.map((digit) => (
            <button key={digit} ref={digit === '1' ? firstKey : undefined} type="button" className="pin-key" disabled={disabled} onClick={() => type(digit)}>
              {digit}
            </button>
          ))}
          <button type="button" className="pin-key pin-key-erase" disabled={disabled || pin.length === 0} onClick={erase}>
            {t('staffEntry.erase')}
          </button>
          <button type="button" className="pin-key" disabled={disabled} onClick={() => type('0')}>
            0
          </button>
          <button type="button" className="pin-key pin-key-ok" disabled={disabled} onClick={() => void submit()}>
            {t('staffEntry.ok')}
          </button>
        </div>
        <button type="button" className="pin-cancel" onClick={onCancel}>
          {t('staffEntry.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
