/**
 * A call for help is open and its dialog is closed: a line above the screen, never over
 * it, says where the call stands (announced politely when it changes, for example when
 * a helper said "I'm coming") and reopens the dialog.
 */
import { useTranslation } from 'react-i18next';
import { BellRing, LoaderCircle, UserRoundCheck, WifiOff } from 'lucide-react';
import { ActionButton } from './ActionButton';
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
      {/* It opens what the toolbar's Help opens, so it wears the same pictogram. */}
      <ActionButton action="seeCall" tone="calm" className="help-banner-button" label={t('help.showCall')} onClick={onShow} />
    </div>
  );
}
