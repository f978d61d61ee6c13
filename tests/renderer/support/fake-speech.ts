/**
 * The browser's speech synthesis as the Web Speech API describes it, for tests: voices
 * that may come late (with a voiceschanged event), every utterance kept, every cancel counted.
 */
import { vi } from 'vitest';
import type { SpeechPlatform } from '../../../renderer/display/speech';

export function voice(lang: string, isDefault = false, localService = true): SpeechSynthesisVoice {
  return { lang, default: isDefault, localService, name: `voice ${lang}`, voiceURI: `voice-${lang}` } as SpeechSynthesisVoice;
}

export class FakeUtterance {
  lang = '';
  voice: SpeechSynthesisVoice | null = null;
  constructor(readonly text: string) {}
}

export class FakeSpeech extends EventTarget {
  readonly spoken: FakeUtterance[] = [];
  cancelled = 0;

  constructor(private voices: SpeechSynthesisVoice[]) {
    super();
  }

  getVoices() {
    return this.voices;
  }

  speak(utterance: FakeUtterance) {
    this.spoken.push(utterance);
  }

  cancel() {
    this.cancelled += 1;
  }

  changeVoices(voices: SpeechSynthesisVoice[]) {
    this.voices = voices;
    this.dispatchEvent(new Event('voiceschanged'));
  }

  texts(): string[] {
    return this.spoken.map((utterance) => utterance.text);
  }

  /** This fake as the page's own `speechSynthesis` (undone by vi.unstubAllGlobals). */
  install(): this {
    vi.stubGlobal('speechSynthesis', this);
    vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance);
    return this;
  }

  /** This fake as a platform handed to the speech functions directly. */
  platform(): SpeechPlatform {
    return { speechSynthesis: this as unknown as SpeechSynthesis, SpeechSynthesisUtterance: FakeUtterance as unknown as typeof SpeechSynthesisUtterance };
  }
}
