/**
 * Reads a message aloud where the browser can speak the visitor's language
 * (Web Speech API). Nothing happens where speech is missing or no voice speaks the
 * language: the message is on the screen anyway. Browsers may list their voices only
 * after a first `voiceschanged` event, so the message waits for it once.
 */
import { useEffect, useRef } from 'react';
import type { LanguageCode } from '../../shared/languages';

interface SpeechPlatform {
  readonly speechSynthesis?: SpeechSynthesis;
  readonly SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance;
}

/** A voice for the language: the system's default one first, then one on this computer, then any. */
export function voiceFor(voices: readonly SpeechSynthesisVoice[], language: LanguageCode): SpeechSynthesisVoice | null {
  const speaking = voices.filter((voice) => {
    const tag = voice.lang.toLowerCase().replace('_', '-');
    return tag === language || tag.startsWith(`${language}-`);
  });
  return speaking.find((voice) => voice.default) ?? speaking.find((voice) => voice.localService) ?? speaking[0] ?? null;
}

/**
 * Speaks `text` once in `language`, now or when the voices arrive. Returns a function
 * that stops it (or stops waiting for voices).
 */
export function readAloudOnce(text: string, language: LanguageCode, platform: SpeechPlatform = globalThis): () => void {
  const synthesis = platform.speechSynthesis;
  const Utterance = platform.SpeechSynthesisUtterance;
  if (synthesis === undefined || Utterance === undefined) return () => {};

  let spoken = false;
  let stopped = false;
  const trySpeaking = (): boolean => {
    const voice = voiceFor(synthesis.getVoices(), language);
    if (voice === null) return false;
    const utterance = new Utterance(text);
    utterance.lang = voice.lang;
    utterance.voice = voice;
    synthesis.speak(utterance);
    spoken = true;
    return true;
  };

  const onVoicesChanged = () => {
    synthesis.removeEventListener('voiceschanged', onVoicesChanged);
    if (!stopped) trySpeaking();
  };
  if (!trySpeaking() && synthesis.getVoices().length === 0) synthesis.addEventListener('voiceschanged', onVoicesChanged);

  return () => {
    stopped = true;
    synthesis.removeEventListener('voiceschanged', onVoicesChanged);
    if (spoken) synthesis.cancel();
  };
}

/**
 * Reads `text` aloud once while the component is on screen, and stops when it goes.
 * React's development mode mounts a component twice in a row; the stop is deferred a
 * moment so that the second mount keeps the speech of the first instead of starting over.
 */
export function useReadAloudOnce(text: string, language: LanguageCode): void {
  const speech = useRef<{ stop: () => void; pendingStop: ReturnType<typeof setTimeout> | null } | null>(null);
  useEffect(() => {
    const current = speech.current;
    if (current === null) speech.current = { stop: readAloudOnce(text, language), pendingStop: null };
    else if (current.pendingStop !== null) {
      clearTimeout(current.pendingStop);
      current.pendingStop = null;
    }
    return () => {
      const active = speech.current;
      if (active === null) return;
      active.pendingStop = setTimeout(() => {
        active.stop();
        if (speech.current === active) speech.current = null;
      }, 0);
    };
  }, [text, language]);
}
