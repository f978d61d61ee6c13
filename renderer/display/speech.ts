/**
 * Speaking through the platform's speech synthesis (the Web Speech API that Chromium
 * and Electron offer; the voices are the operating system's). Nothing here invents a
 * voice: a language without one is said to have none, and the screens say so plainly.
 */
import type { LanguageCode } from '../../shared/languages';
import type { SpeechAvailability } from './display-context';

export interface SpeechPlatform {
  readonly speechSynthesis?: SpeechSynthesis;
  readonly SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance;
}

/**
 * Chromium lists its voices only after a first `voiceschanged` event, and never sends it
 * where the system has no speech at all: after this long, no voice means none.
 */
export const VOICES_WAIT_MS = 1500;

/** A voice for the language: the system's default one first, then one on this computer, then any. */
export function voiceFor(voices: readonly SpeechSynthesisVoice[], language: LanguageCode): SpeechSynthesisVoice | null {
  const speaking = voices.filter((voice) => {
    const tag = voice.lang.toLowerCase().replace('_', '-');
    return tag === language || tag.startsWith(`${language}-`);
  });
  return speaking.find((voice) => voice.default) ?? speaking.find((voice) => voice.localService) ?? speaking[0] ?? null;
}

/** The platform's voices, waiting once for a late list (at most `waitMs`). */
export function listVoices(platform: SpeechPlatform = globalThis, waitMs = VOICES_WAIT_MS): Promise<readonly SpeechSynthesisVoice[]> {
  const synthesis = platform.speechSynthesis;
  if (synthesis === undefined) return Promise.resolve([]);
  const now = synthesis.getVoices();
  if (now.length > 0) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      synthesis.removeEventListener('voiceschanged', done);
      resolve(synthesis.getVoices());
    };
    const timer = setTimeout(done, waitMs);
    synthesis.addEventListener('voiceschanged', done);
  });
}

/** Whether this computer can read `language` aloud. */
export async function speechAvailabilityFor(language: LanguageCode, platform: SpeechPlatform = globalThis, waitMs = VOICES_WAIT_MS): Promise<Exclude<SpeechAvailability, 'unknown'>> {
  if (platform.speechSynthesis === undefined || platform.SpeechSynthesisUtterance === undefined) return 'no-speech';
  const voices = await listVoices(platform, waitMs);
  if (voices.length === 0) return 'no-speech';
  return voiceFor(voices, language) === null ? 'no-voice' : 'available';
}

export interface SpokenPart {
  readonly text: string;
  readonly language: LanguageCode;
}

/**
 * One voice at a time for the whole kiosk: a new reading replaces the one under way
 * unless it is queued behind it (a countdown announcement after the screen's text).
 */
export class Speaker {
  constructor(private readonly platform: SpeechPlatform = globalThis) {}

  /** Speaks each part in its own language's voice; parts without a voice are skipped. Returns how many were spoken. */
  speak(parts: readonly SpokenPart[], { interrupt }: { readonly interrupt: boolean }): number {
    const synthesis = this.platform.speechSynthesis;
    const Utterance = this.platform.SpeechSynthesisUtterance;
    if (synthesis === undefined || Utterance === undefined) return 0;
    const voices = synthesis.getVoices();
    if (interrupt) synthesis.cancel();
    let spoken = 0;
    for (const part of parts) {
      const text = part.text.trim();
      const voice = voiceFor(voices, part.language);
      if (text === '' || voice === null) continue;
      const utterance = new Utterance(text);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      synthesis.speak(utterance);
      spoken += 1;
    }
    return spoken;
  }

  stop(): void {
    this.platform.speechSynthesis?.cancel();
  }
}
