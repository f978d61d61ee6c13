/** What changed when (no values), newest first: `staff.changeLog()`, read each time the tab opens. */
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigChange } from '../../shared/contract';
import type { LanguageCode } from '../../shared/languages';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';

export function ChangeLogPanel({ language }: { readonly language: LanguageCode }) {
  const bridge = useKioskBridge();
  const { t } = useTranslation('staff');
  const captionId = useId();
  const [changes, setChanges] = useState<readonly ConfigChange[] | null>(null);
  const [failed, setFailed] = useState(false);
  const format = useMemo(() => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }), [language]);

  useEffect(() => {
    let stale = false;
    void callSafely(() => bridge.staff.changeLog()).then((result) => {
      if (stale) return;
      if (result.ok) setChanges(result.value.changes);
      else setFailed(true);
    });
    return () => {
      stale = true;
    };
  }, [bridge]);

  if (failed) {
    return (
      <p className="staff-message staff-message-problem" role="alert">
        {t('changeLog.failed')}
      </p>
    );
  }
  if (changes === null) {
    return (
      <p className="staff-message" role="status">
        {t('loading')}
      </p>
    );
  }
  return (
    <div className="staff-change-log" data-state="ready">
      <p className="staff-intro">{t('changeLog.intro')}</p>
      {changes.length === 0 ? (
        <p className="staff-message">{t('changeLog.empty')}</p>
      ) : (
        <table className="staff-table" aria-labelledby={captionId}>
          <caption id={captionId}>{t('changeLog.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('changeLog.when')}</th>
              <th scope="col">{t('changeLog.source')}</th>
              <th scope="col">{t('changeLog.fields')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change, index) => (
              <tr key={`${change.at}:${index}`}>
                <td>
                  <time dateTime={new Date(change.at).toISOString()}>{format.format(change.at)}</time>
                </td>
                <td>{change.source === 'import' ? t('changeLog.fromImport') : t('changeLog.fromScreen')}</td>
                <td>
                  <ul className="staff-change-fields">
                    {change.fields.map((field) => (
                      <li key={field}>
                        <code>{field}</code>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
