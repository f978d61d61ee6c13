/**
 * The platform's speech: which voice speaks which language, whether a language can be
 * read aloud at all (said honestly when not), and one voice at a time.
 */
import { describe, expect, it, vi } from 'vitest';
import { listVoices, Speaker, speechAvailabilityFor, voiceFor } from '../../../renderer/display/speech';
import { FakeSpeech, voice } from '../support/fake-speech';

describe('the voice for a language', () => {
  it('prefers the system\'s default voice, then one on this computer', () => {
    expect(voiceFor([voice('en-GB'), voice('nl-NL'), voice('nl-BE', true)], 'nl')?.lang).toBe('nl-BE');
    expect(voiceFor([voice('nl-NL', false, false), voice('nl-BE', false, true)], 'nl')?.lang).toBe('nl-BE');
    expect(voiceFor([voice('de_DE')], 'de')?.lang).toBe('de_DE');
    expect(voiceFor([voice('AR-sa')], 'ar')?.lang).toBe('AR-sa');
  });

  it('is none when no voice speaks the language (not a look-alike tag)', () => {
    expect(voiceFor([voice('en-GB', true), voice('fry-NL'), voice('deu')], 'fr')).toBeNull();
    expect(voiceFor([voice('ukr')], 'uk')).toBeNull();
    expect(voiceFor([], 'en')).toBeNull();
  });
});

describe('whether a language can be read aloud', () => {
  it('is "no-speech" where the platform has no speech synthesis', async () => {
    await expect(speechAvailabilityFor('fr', {})).resolves.toBe('no-speech');
  });

  it('is "available" or "no-voice" by the voices listed', async () => {
    const synthesis = new FakeSpeech([voice('fr-BE'), voice('en-GB')]);
    await expect(speechAvailabilityFor('fr', synthesis.platform())).resolves.toBe('available');
    await expect(speechAvailabilityFor('tr', synthesis.platform())).resolves.toBe('no-voice');
  });

  it('waits for a late list of voices, and says "no-speech" when none ever comes', async () => {
    vi.useFakeTimers();
    try {
      const late = new FakeSpeech([]);
      const answer = speechAvailabilityFor('uk', late.platform(), 1000);
      late.changeVoices([voice('uk-UA')]);
      await expect(answer).resolves.toBe('available');

      const never = new FakeSpeech([]);
      const silent = listVoices(never.platform(), 1000);
      await vi.advanceTimersByTimeAsync(999);
      let settled = false;
      void silent.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expect(silent).resolves.toEqual([]);
      const noneEver = speechAvailabilityFor('uk', never.platform(), 1000);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(noneEver).resolves.toBe('no-speech');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the speaker', () => {
  it('speaks each part in its language\'s voice, skips a part without one, and counts what it said', () => {
    const synthesis = new FakeSpeech([voice('fr-BE', true), voice('ar-SA'), voice('en-GB')]);
    const speaker = new Speaker(synthesis.platform());
    const spoken = speaker.speak(
      [
        { text: 'Choisissez votre langue', language: 'fr' },
        { text: 'Türkçe başla', language: 'tr' },
        { text: 'اختر لغتك', language: 'ar' },
        { text: '   ', language: 'en' },
      ],
      { interrupt: true },
    );
    expect(spoken).toBe(2);
    expect(synthesis.spoken.map((utterance) => [utterance.text, utterance.lang, utterance.voice?.lang])).toEqual([
      ['Choisissez votre langue', 'fr-BE', 'fr-BE'],
      ['اختر لغتك', 'ar-SA', 'ar-SA'],
    ]);
    expect(synthesis.cancelled).toBe(1);
  });

  it('queues behind what is being said when asked not to interrupt, and stops', () => {
    const synthesis = new FakeSpeech([voice('nl-BE')]);
    const speaker = new Speaker(synthesis.platform());
    speaker.speak([{ text: 'Nog 10 seconden', language: 'nl' }], { interrupt: false });
    expect(synthesis.cancelled).toBe(0);
    speaker.stop();
    expect(synthesis.cancelled).toBe(1);
    expect(new Speaker({}).speak([{ text: 'x', language: 'nl' }], { interrupt: true })).toBe(0);
  });
});
