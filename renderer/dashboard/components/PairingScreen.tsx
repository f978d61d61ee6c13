/**
 * The first thing a new phone sees: type (or scan) the code shown on the staff
 * dashboard, name the device, Join. The credential the hub gives back is kept on the
 * device; the code is spent.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link2 } from 'lucide-react';
import { DeviceNameSchema, normalizePairingCode } from '../../../shared/hub-api';
import { useDashboardTexts, type DashboardTextKey } from '../dashboard-i18n';
import { credentialFromPairing, type StoredCredential } from '../device-storage';
import type { HubClient, HubProblem } from '../hub-client';

export interface PairingScreenProps {
  readonly client: HubClient;
  readonly onPaired: (credential: StoredCredential) => void;
  /** From a scanned QR code (#pair=…). */
  readonly codeFromAddress: string | null;
  /** Why the device is here again, when it was paired before. */
  readonly revoked: boolean;
}

type Problem = { readonly field: 'code' | 'name' | null; readonly text: DashboardTextKey };

const CODE_REFUSALS: Readonly<Record<string, DashboardTextKey>> = {
  'pairing-code-unknown': 'pairing.problem.codeUnknown',
  'pairing-code-expired': 'pairing.problem.codeExpired',
  'pairing-code-used-up': 'pairing.problem.codeUsedUp',
};

function problemOfAnswer(problem: HubProblem): Problem {
  switch (problem.kind) {
    case 'unreachable':
      return { field: null, text: 'pairing.problem.unreachable' };
    case 'unexpected':
    case 'unauthorized':
      return { field: null, text: 'pairing.problem.failed' };
    case 'refused': {
      if (problem.status === 429) return { field: null, text: 'pairing.problem.tooMany' };
      if (problem.status >= 500) return { field: null, text: 'pairing.problem.failed' };
      const refusal = CODE_REFUSALS[problem.code];
      if (refusal !== undefined) return { field: 'code', text: refusal };
      // A kiosk's code claimed without a kiosk's identifier: the hub names the missing field.
      if (problem.status === 400 && problem.message.startsWith('kioskId')) return { field: 'code', text: 'pairing.problem.wrongKind' };
      return { field: 'code', text: 'pairing.problem.codeUnknown' };
    }
  }
}

export function PairingScreen({ client, onPaired, codeFromAddress, revoked }: PairingScreenProps) {
  const { t } = useDashboardTexts();
  const ids = { title: useId(), code: useId(), codeHint: useId(), name: useId(), nameHint: useId(), problem: useId() };
  const [code, setCode] = useState(codeFromAddress ?? '');
  const [name, setName] = useState('');
  const [joining, setJoining] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const codeField = useRef<HTMLInputElement>(null);
  const nameField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // With the code already there, the name is all that is left to type.
    (codeFromAddress === null ? codeField : nameField).current?.focus();
  }, [codeFromAddress]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (joining) return;
    const normalized = normalizePairingCode(code);
    if (normalized === null) {
      setProblem({ field: 'code', text: 'pairing.problem.codeFormat' });
      codeField.current?.focus();
      return;
    }
    const checkedName = DeviceNameSchema.safeParse(name);
    if (!checkedName.success) {
      setProblem({ field: 'name', text: name.trim() === '' ? 'pairing.problem.nameMissing' : 'pairing.problem.nameTooLong' });
      nameField.current?.focus();
      return;
    }
    setCode(normalized);
    setJoining(true);
    setProblem(null);
    const answer = await client.claimPairingCode({ code: normalized, name: checkedName.data });
    setJoining(false);
    if (!answer.ok) {
      const found = problemOfAnswer(answer.problem);
      setProblem(found);
      if (found.field === 'code') codeField.current?.focus();
      return;
    }
    if (answer.value.role !== 'staff') {
      setProblem({ field: 'code', text: 'pairing.problem.wrongKind' });
      codeField.current?.focus();
      return;
    }
    onPaired(credentialFromPairing(answer.value));
  };

  const describedBy = (field: 'code' | 'name', hint: string) => (problem?.field === field ? `${hint} ${ids.problem}` : hint);

  return (
    <main className="dash-pairing" aria-labelledby={ids.title} data-testid="pairing-screen">
      <h1 id={ids.title} className="dash-pairing-title">
        <Link2 aria-hidden="true" className="dash-icon" />
        {t('pairing.title')}
      </h1>
      {revoked && (
        <p className="dash-notice dash-notice--problem" role="alert">
          {t('pairing.revoked')}
        </p>
      )}
      <p className="dash-pairing-intro">{t('pairing.intro')}</p>
      {codeFromAddress !== null && (
        <p className="dash-notice" role="status">
          {t('pairing.fromQrCode')}
        </p>
      )}
      <form className="dash-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="dash-field">
          <label htmlFor={ids.code} className="dash-field-label">
            {t('pairing.code')}
          </label>
          <input
            id={ids.code}
            ref={codeField}
            className="dash-input dash-input--code"
            name="pairing-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            autoComplete="one-time-code"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            maxLength={40}
            aria-invalid={problem?.field === 'code'}
            aria-describedby={describedBy('code', ids.codeHint)}
          />
          <span id={ids.codeHint} className="dash-field-hint">
            {t('pairing.codeHint')}
          </span>
        </div>
        <div className="dash-field">
          <label htmlFor={ids.name} className="dash-field-label">
            {t('pairing.name')}
          </label>
          <input
            id={ids.name}
            ref={nameField}
            className="dash-input"
            name="device-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="off"
            maxLength={80}
            aria-invalid={problem?.field === 'name'}
            aria-describedby={describedBy('name', ids.nameHint)}
          />
          <span id={ids.nameHint} className="dash-field-hint">
            {t('pairing.nameHint')}
          </span>
        </div>
        <div id={ids.problem} role="alert" className={problem === null ? 'dash-alert-slot' : 'dash-notice dash-notice--problem'}>
          {problem === null ? '' : t(problem.text)}
        </div>
        <button type="submit" className="dash-button dash-button--primary dash-button--wide" disabled={joining}>
          {joining ? t('pairing.joining') : t('pairing.join')}
        </button>
      </form>
    </main>
  );
}
