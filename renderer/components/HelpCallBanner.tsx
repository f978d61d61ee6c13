/**
 * A call for help is open and its dialog is closed: a line above the screen, never over
 * it, says where the call stands (announced politely when it changes, for example when
 * a helper said "I'm coming") and reopens the dialog.
 */
import { useTranslation } from 'react-i18next';
import { BellRing, Eye, LoaderCircle, UserRoundCheck, WifiOff } from 'lucide-react';
import type { HelpView } from './HelpCall';

export interface HelpCallBannerProps {
  /** An open call: calling, called, coming or unreachable. */
  readonly view: HelpView;
  readonly onShow: () => void;
}

export function HelpCallBanner({ view, onShow }: HelpCallBannerProps) {
  const { t } = useTranslation();
  const shown = (() => {
    switch (view.state) {
      case 'calling':
        return { icon: LoaderCircle, words: t('help.callingTitle'), spinner: true };
      case 'called':
        return { icon: BellRing, words: view.canBeAcknowledged ? t('help.calledTitle') : t('help.toldTitle'), spinner: false };
      case 'coming':
        return { icon: UserRoundCheck, words: t('help.comingTitle'), spinner: false };
      case 'unreachable':
        return { icon: WifiOff, words: t('help.unreachableTitle'), spinner: false };
      default:
        return null;
    }
  })();
  if (shown === null) return null;
  const Icon = shown.icon;
  return (
    <div className={`help-banner help-banner--${view.state}`} data-testid="help-banner">
      <Icon className={shown.spinner ? 'help-banner-icon help-spinner' : 'help-banner-icon'} aria-hidden="true" focusable="false" strokeWidth={2.25} />
      <p className="help-banner-message" role="status">
        {shown.words}
      </p>
      <button type="button" className="big-button big-button--calm help-banner-button" onClick={onShow}>
        <Eye className="help-button-icon" aria-hidden="true" focusable="false" strokeWidth={2.25} />
        <span>{t('help.showCall')}</span>
      </button>
    </div>
  );
}
