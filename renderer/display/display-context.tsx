/**
 * The visitor's display settings (shared/display-settings.ts) as the toolbar's buttons see
 * them: what is in force and a way to ask for a change. App provides it while a visitor is
 * there; outside a session (the welcome screen, the staff screen's preview, tests without
 * it) there is none and the toolbar shows no display buttons.
 */
import { createContext, useContext } from 'react';
import type { DisplaySettings } from '../../shared/display-settings';

/** Whether reading aloud can speak the visitor's language (App asks as a session begins and when the voices change). */
export type SpeechAvailability = 'unknown' | 'available' | 'no-voice' | 'no-speech';

export interface DisplayControl {
  readonly display: DisplaySettings;
  /** Asks the main side for new settings; the screens follow its answer (a refusal shows a plain message). */
  readonly change: (next: DisplaySettings) => void;
}

export const DisplayContext = createContext<DisplayControl | null>(null);

export function useDisplayControl(): DisplayControl | null {
  return useContext(DisplayContext);
}
