/**
 * The tiles editor as the staff screen hosts it: the draft configuration kept in state,
 * every onChange recorded, the texts of the kiosk plus the editor's own namespace.
 */
import { render } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { KioskConfig } from '../../../../shared/config/schema';
import type { LanguageCode } from '../../../../shared/languages';
import { createKioskI18n } from '../../../../renderer/i18n/kiosk-i18n';
import { allVisitorTexts } from '../../support/all-texts';
import { TilesEditor } from '../../../../renderer/staff/tiles/TilesEditor';
import { addTilesTexts } from '../../../../renderer/staff/tiles/tiles-texts';
import { parsedConfig } from '../../kiosk-harness';

export { parsedConfig };

export function staffI18n(language: LanguageCode = 'en') {
  const i18n = createKioskI18n(language, { resources: allVisitorTexts() });
  addTilesTexts(i18n);
  return i18n;
}

export interface EditorHarness {
  /** Every draft the editor handed to the staff screen, oldest first. */
  readonly changes: KioskConfig[];
  /** The draft as it stands now. */
  current(): KioskConfig;
}

export function renderTilesEditor(options: { config?: KioskConfig; lockedKeys?: readonly string[]; language?: LanguageCode } = {}): EditorHarness {
  const initial = options.config ?? parsedConfig();
  const changes: KioskConfig[] = [];
  function Host() {
    const [draft, setDraft] = useState(initial);
    return (
      <TilesEditor
        config={draft}
        lockedKeys={options.lockedKeys ?? []}
        onChange={(next) => {
          changes.push(next);
          setDraft(next);
        }}
      />
    );
  }
  render(
    <I18nextProvider i18n={staffI18n(options.language)}>
      <Host />
    </I18nextProvider>,
  );
  return { changes, current: () => changes.at(-1) ?? initial };
}
