import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BUILT_IN_THEME_IDS, localize, type KioskConfig, type Service, type Theme } from '../../shared/config/schema';
import type { LanguageCode } from '../../shared/languages';
import { BarButton } from '../components/BarButton';
import { DisplayControls } from '../components/DisplayControls';
import { SERVICE_ICONS, TOOLBAR_ICONS } from '../icons/icon-map';

export interface LauncherScreenProps {
  readonly config: KioskConfig;
  readonly language: LanguageCode;
  readonly onOpenService: (service: Service) => void;
  readonly onHelp: () => void;
  readonly onEndSession: () => void;
  /** Shown only when the visitor has downloaded files ("My files"). */
  readonly onFiles?: (() => void) | undefined;
}

type BuiltInThemeId = (typeof BUILT_IN_THEME_IDS)[number];

function isBuiltInTheme(id: string): id is BuiltInThemeId {
  return (BUILT_IN_THEME_IDS as readonly string[]).includes(id);
}

export function LauncherScreen({ config, language, onOpenService, onHelp, onEndSession, onFiles }: LauncherScreenProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const fallback = config.languages.default;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  function themeLabel(theme: Theme): string {
    if (theme.label !== undefined) return localize(theme.label, language, fallback);
    return isBuiltInTheme(theme.id) ? t(`themes.${theme.id}`) : theme.id;
  }

  const sections = config.themes
    .map((theme) => ({ theme, services: config.services.filter((service) => service.theme === theme.id) }))
    .filter((section) => section.services.length > 0);

  return (
    <div className="launcher">
      <header className="top-bar">
        <div className="top-bar-heading">
          <p className="top-bar-name">
            {/* Isolated, so a name written left to right keeps its order on a right-to-left screen. */}
            <bdi>{config.kiosk.name}</bdi>
          </p>
          <h1 ref={headingRef} tabIndex={-1} className="launcher-title screen-heading">
            {t('launcher.title')}
          </h1>
        </div>
        <DisplayControls />
        <nav className="top-bar-actions" aria-label={t('launcher.topBarLabel')}>
          {onFiles !== undefined && <BarButton icon={TOOLBAR_ICONS.files} label={t('files.button')} onClick={onFiles} />}
          <BarButton icon={TOOLBAR_ICONS.help} label={t('toolbar.help')} tone="help" onClick={onHelp} />
          <BarButton icon={TOOLBAR_ICONS.endSession} label={t('toolbar.endSession')} tone="end" onClick={onEndSession} />
        </nav>
      </header>
      <main className="launcher-main">
        {sections.map(({ theme, services }) => (
          <ThemeSection key={theme.id} theme={theme} label={themeLabel(theme)}>
            {services.map((service) => (
              <ServiceTile
                key={service.id}
                service={service}
                label={localize(service.label, language, fallback)}
                hint={service.hint === undefined ? undefined : localize(service.hint, language, fallback)}
                onOpen={onOpenService}
              />
            ))}
          </ThemeSection>
        ))}
      </main>
    </div>
  );
}

function ThemeSection({ theme, label, children }: { readonly theme: Theme; readonly label: string; readonly children: ReactNode }) {
  const headingId = useId();
  const Icon = SERVICE_ICONS[theme.icon];
  return (
    <section className="theme" aria-labelledby={headingId}>
      <h2 id={headingId} className="theme-title">
        <Icon className="theme-icon" aria-hidden="true" focusable="false" />
        {label}
      </h2>
      <div className="tile-grid">{children}</div>
    </section>
  );
}

interface ServiceTileProps {
  readonly service: Service;
  readonly label: string;
  readonly hint: string | undefined;
  readonly onOpen: (service: Service) => void;
}

function ServiceTile({ service, label, hint, onOpen }: ServiceTileProps) {
  const hintId = useId();
  const Icon = SERVICE_ICONS[service.icon];
  const shownHint = hint !== undefined && hint !== label ? hint : undefined;
  // The name is the label alone, so "My taxes" finds the tile; the hint is read as its description.
  return (
    <button
      type="button"
      className="tile"
      data-service-id={service.id}
      aria-label={label}
      aria-describedby={shownHint === undefined ? undefined : hintId}
      onClick={() => onOpen(service)}
    >
      <Icon className="tile-icon" aria-hidden="true" focusable="false" strokeWidth={2} />
      <span className="tile-label">{label}</span>
      {shownHint !== undefined && (
        <span id={hintId} className="tile-hint">
          {shownHint}
        </span>
      )}
    </button>
  );
}
