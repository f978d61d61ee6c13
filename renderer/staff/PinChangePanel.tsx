/** Changing the staff PIN: the current one, the new one twice (`staff.changePin`). */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { StaffPinSchema } from '../../shared/contract';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';

type Outcome = 'changed' | 'wrong' | 'throttled' | 'mismatch' | 'format' | 'failed' | null;

export function PinChangePanel() {
  const bridge = useKioskBridge();
  const { t } = useTranslation('staff');
  const ids = { current: useId(), next: useId(), confirm: useId() };
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!StaffPinSchema.safeParse(current).success || !StaffPinSchema.safeParse(next).success) {
      setOutcome('format');
      return;
    }
    if (next !== confirm) {
      setOutcome('mismatch');
      return;
    }
    setBusy(true);
    setOutcome(null);
    const result = await callSafely(() => bridge.staff.changePin({ currentPin: current, newPin: next }));
    setBusy(false);
    if (!result.ok) {
      setOutcome('failed');
      return;
    }
    if (result.value.ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
      setOutcome('changed');
      return;
    }
    setCurrent('');
    setOutcome(result.value.reason === 'throttled' ? 'throttled' : result.value.reason === 'wrong-pin' ? 'wrong' : 'failed');
  };

  const pinInput = (id: string, value: string, onChange: (value: string) => void, autoComplete: string) => (
    <input
      id={id}
      className="staff-input staff-input-pin"
      type="password"
      inputMode="numeric"
      autoComplete={autoComplete}
      pattern="[0-9]*"
      maxLength={12}
      value={value}
      onChange={(event) => onChange(event.target.value.replace(/[^0-9]/g, ''))}
    />
  );

  return (
    <form className="staff-pin-change" onSubmit={(event) => void submit(event)}>
      <p className="staff-intro">{t('pin.intro')}</p>
      <div className="staff-field">
        <label htmlFor={ids.current} className="staff-label">
          {t('pin.current')}
        </label>
        {pinInput(ids.current, current, setCurrent, 'current-password')}
      </div>
      <div className="staff-field">
        <label htmlFor={ids.next} className="staff-label">
          {t('pin.new')}
        </label>
        {pinInput(ids.next, next, setNext, 'new-password')}
      </div>
      <div className="staff-field">
        <label htmlFor={ids.confirm} className="staff-label">
          {t('pin.confirm')}
        </label>
        {pinInput(ids.confirm, confirm, setConfirm, 'new-password')}
      </div>
      <button type="submit" className="staff-button staff-button-primary" disabled={busy}>
        {busy ? t('pin.changing') : t('pin.change')}
      </button>
      {outcome === 'changed' && (
        <p className="staff-message staff-message-ok" role="status">
          {t('pin.changed')}
        </p>
      )}
      {outcome !== null && outcome !== 'changed' && (
        <p className="staff-message staff-message-problem" role="alert">
          {t(`pin.${outcome}`)}
        </p>
      )}
    </form>
  );
}
