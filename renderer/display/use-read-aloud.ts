/**
 * Reading aloud while the visitor has it on: the screen or dialog in front of them each
 * time it changes, the name of whatever the keyboard or a switch moves the focus to, and
 * what live regions announce (the idle countdown, the help call's progress) — all in the
 * visitor's language, through one Speaker. Off, it says nothing and stops what it was saying.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { LanguageCode } from '../../shared/languages';
import { COLLAPSIBLE_SPACES, liveRegionOf, nameToRead, readingLayer, textsToRead } from './screen-text';
import { Speaker } from './speech';

export interface ReadAloudOptions {
  readonly enabled: boolean;
  readonly language: LanguageCode;
  /** Changes whenever the layer in front of the visitor changes (screen, dialog, help state): it is then read. */
  readonly layerKey: string;
}

export function useReadAloud({ enabled, language, layerKey }: ReadAloudOptions): void {
  const speaker = useRef<Speaker | null>(null);
  speaker.current ??= new Speaker();

  const readLayer = useCallback(() => {
    const layer = readingLayer(document);
    if (layer === null) return;
    speaker.current?.speak(
      textsToRead(layer).map((text) => ({ text, language })),
      { interrupt: true },
    );
  }, [language]);

  // The new layer is read once it is drawn and has taken the focus (a dialog focuses its safe button first).
  useEffect(() => {
    if (!enabled) return;
    const frame = requestAnimationFrame(readLayer);
    return () => cancelAnimationFrame(frame);
  }, [enabled, layerKey, readLayer]);

  useEffect(() => {
    if (!enabled) return;
    const current = speaker.current;
    const onFocus = (event: FocusEvent) => {
      if (!(event.target instanceof Element) || event.target === document.body) return;
      const name = nameToRead(event.target);
      if (name !== '') current?.speak([{ text: name, language }], { interrupt: true });
    };
    // A region's new words queue behind what is being said; the region's own first words come with its layer.
    const observer = new MutationObserver((records) => {
      const regions = new Set<Element>();
      for (const record of records) {
        const region = liveRegionOf(record.target);
        if (region !== null) regions.add(region);
      }
      for (const region of regions) {
        const text = region.textContent?.replace(COLLAPSIBLE_SPACES, ' ').trim() ?? '';
        if (text !== '') current?.speak([{ text, language }], { interrupt: false });
      }
    });
    document.addEventListener('focusin', onFocus);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    return () => {
      document.removeEventListener('focusin', onFocus);
      observer.disconnect();
      current?.stop();
    };
  }, [enabled, language]);
}
