/**
 * The toolbar's display buttons, while a visitor is there: bigger text (one button that
 * goes up a step each press and from the largest size back to normal), strong colours
 * and read aloud (two switches). Outside a visitor session there is no display control
 * and nothing shows.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LARGEST_TEXT_SIZE, TEXT_SIZES, nextTextSize } from '../../shared/display-settings';
import { useDisplayControl } from '../display/display-context';
import { TOOLBAR_ICONS } from '../icons/icon-map';
import { BarButton } from './BarButton';

export function DisplayControls() {
  const { t } = useTranslation();
  const control = useDisplayControl();
  const textSizeId = useId();
  if (control === null) return null;
  const { display, change } = control;
  const atLargest = display.textSize === LARGEST_TEXT_SIZE;
  const step = TEXT_SIZES.indexOf(display.textSize);

  return (
    <div role="group" aria-label={t('display.groupLabel')} className="display-controls">
      <BarButton
        icon={TOOLBAR_ICONS.textSize}
        label={atLargest ? t('display.normalText') : t('display.biggerText')}
        describedBy={textSizeId}
        onClick={() => change({ ...display, textSize: nextTextSize(display.textSize) })}
      >
        {/* The steps seen at a glance; screen readers hear the size itself (textSizeId). */}
        <span className="text-size-steps" aria-hidden="true" data-step={step + 1}>
          {TEXT_SIZES.map((size, index) => (
            <span key={size} className={index <= step ? 'text-size-step text-size-step--reached' : 'text-size-step'} />
          ))}
        </span>
      </BarButton>
      <span id={textSizeId} className="visually-hidden">
        {t('display.textSizeNow', { size: display.textSize / 100 })}
      </span>
      <BarButton
        icon={TOOLBAR_ICONS.contrast}
        label={t('display.strongColours')}
        pressed={display.highContrast}
        onClick={() => change({ ...display, highContrast: !display.highContrast })}
      />
      <BarButton
        icon={TOOLBAR_ICONS.readAloud}
        label={t('display.readAloud')}
        pressed={display.readAloud}
        onClick={() => change({ ...display, readAloud: !display.readAloud })}
      />
    </div>
  );
}
