/**
 * The open help requests, the longest waiting first: which PC, which service, which
 * language the visitor speaks, how long they have waited (on the hub's clock), and the
 * two answers a helper gives: "I'm coming", then "Done".
 */
import { useId, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { CircleCheck, Footprints, Hourglass } from 'lucide-react';
import { endonymOf } from '../../../shared/languages';
import type { HelpRequestView } from '../../../shared/hub-api';
import { useDashboardTexts, type DashboardTextKey } from '../dashboard-i18n';
import { readableServiceId, type DashboardFormatters } from '../dashboard-format';
import type { HubResult } from '../hub-client';

export interface HelpQueueProps {
  /** Already in queue order. */
  readonly requests: readonly HelpRequestView[];
  readonly hubNow: number | null;
  readonly format: DashboardFormatters;
  readonly onAnswer: (request: HelpRequestView, answer: 'acknowledge' | 'resolve') => Promise<HubResult<unknown>>;
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
}

export function HelpQueue({ requests, hubNow, format, onAnswer, headingRef }: HelpQueueProps) {
  const { t } = useDashboardTexts();
  const headingId = useId();
  const waiting = requests.filter((request) => request.state === 'waiting').length;
  return (
    <section className="dash-section" aria-labelledby={headingId} data-testid="help-queue">
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="dash-section-title">
        {t('queue.heading')}
      </h2>
      <p className="dash-section-summary">{requests.length === 0 ? t('queue.empty') : t('queue.count', { count: waiting })}</p>
      {requests.length > 0 && (
        <ol className="dash-queue">
          {requests.map((request) => (
            <RequestCard key={request.id} request={request} hubNow={hubNow} format={format} onAnswer={onAnswer} onGone={() => headingRef.current?.focus()} />
          ))}
        </ol>
      )}
    </section>
  );
}

interface RequestCardProps {
  readonly request: HelpRequestView;
  readonly hubNow: number | null;
  readonly format: DashboardFormatters;
  readonly onAnswer: HelpQueueProps['onAnswer'];
  readonly onGone: () => void;
}

function RequestCard({ request, hubNow, format, onAnswer, onGone }: RequestCardProps) {
  const { t } = useDashboardTexts();
  const titleId = useId();
  const [busy, setBusy] = useState<'acknowledge' | 'resolve' | null>(null);
  const [problem, setProblem] = useState<DashboardTextKey | null>(null);
  const doneButton = useRef<HTMLButtonElement>(null);
  const acknowledged = request.state === 'acknowledged';

  const answer = async (kind: 'acknowledge' | 'resolve') => {
    if (busy !== null) return;
    setBusy(kind);
    setProblem(null);
    const result = await onAnswer(request, kind);
    // Drawn at once: a button still disabled cannot take the focus.
    flushSync(() => setBusy(null));
    if (result.ok) {
      // The "I'm coming" button goes away: keep the keyboard on this card's next step.
      if (kind === 'acknowledge') doneButton.current?.focus();
      else onGone();
      return;
    }
    const { problem: cause } = result;
    setProblem(cause.kind === 'refused' && (cause.status === 404 || cause.status === 409) ? 'queue.alreadyClosed' : 'queue.actionFailed');
  };

  const waited = hubNow === null ? null : format.wait(hubNow - request.createdAt);
  const StateIcon = acknowledged ? Footprints : Hourglass;

  return (
    <li className={`dash-request dash-request--${request.state}`} aria-labelledby={titleId} data-request-id={request.id} data-state={request.state}>
      <div className="dash-request-head">
        <h3 id={titleId} className="dash-request-kiosk">
          {request.kioskName}
        </h3>
        {waited !== null && (
          <p className="dash-request-wait" data-testid="waiting-time">
            {t('queue.waitingFor', { duration: waited })}
          </p>
        )}
      </div>
      <p className="dash-request-state">
        <StateIcon aria-hidden="true" className="dash-icon" />
        <span>{acknowledged ? t('queue.acknowledgedState') : t('queue.waitingState')}</span>
      </p>
      <dl className="dash-request-facts">
        <div>
          <dt>{t('queue.service')}</dt>
          <dd title={request.serviceId ?? undefined}>{request.serviceId === null ? t('queue.noService') : readableServiceId(request.serviceId)}</dd>
        </div>
        <div>
          <dt>{t('queue.language')}</dt>
          <dd lang={request.language}>{endonymOf(request.language)}</dd>
        </div>
      </dl>
      <div className="dash-request-actions">
        {!acknowledged && (
          <button type="button" className="dash-button dash-button--primary" disabled={busy !== null} onClick={() => void answer('acknowledge')}>
            <Footprints aria-hidden="true" className="dash-icon" />
            <span>{busy === 'acknowledge' ? t('queue.working') : t('queue.coming')}</span>
          </button>
        )}
        <button ref={doneButton} type="button" className="dash-button" disabled={busy !== null} onClick={() => void answer('resolve')}>
          <CircleCheck aria-hidden="true" className="dash-icon" />
          <span>{busy === 'resolve' ? t('queue.working') : t('queue.done')}</span>
        </button>
      </div>
      {problem !== null && (
        <p className="dash-notice dash-notice--problem" role="alert">
          {t(problem)}
        </p>
      )}
    </li>
  );
}
