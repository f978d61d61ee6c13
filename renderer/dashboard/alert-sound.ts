/**
 * The "someone needs help" tone: two short notes made with the Web Audio API, so there is
 * no audio file to fetch. Browsers keep audio silent until the person has touched the
 * page; the AudioContext is therefore created and resumed inside the click on "Turn on
 * sound" (or the first touch after a reload, when sound was left on).
 */

/** The part of AudioContext the tone uses (a test passes a fake). */
export interface ToneContext {
  readonly state: string;
  readonly currentTime: number;
  readonly destination: unknown;
  resume(): Promise<void>;
  createOscillator(): {
    type: string;
    readonly frequency: { setValueAtTime(value: number, time: number): unknown };
    connect(destination: unknown): unknown;
    start(when?: number): void;
    stop(when?: number): void;
  };
  createGain(): {
    readonly gain: { setValueAtTime(value: number, time: number): unknown; linearRampToValueAtTime(value: number, time: number): unknown };
    connect(destination: unknown): unknown;
  };
}

export type ToneContextFactory = () => ToneContext | null;

type ToneContextConstructor = new () => ToneContext;

function browserToneContextConstructor(): ToneContextConstructor | undefined {
  const scope = globalThis as { AudioContext?: ToneContextConstructor; webkitAudioContext?: ToneContextConstructor };
  return scope.AudioContext ?? scope.webkitAudioContext;
}

export function browserToneContext(): ToneContext | null {
  const Constructor = browserToneContextConstructor();
  if (Constructor === undefined) return null;
  try {
    return new Constructor();
  } catch {
    return null;
  }
}

export interface AlertSound {
  /** False when this browser has no Web Audio at all. */
  readonly supported: boolean;
  /** Whether the browser lets the page play sound now. */
  isAllowed(): boolean;
  /** Call from a click or a key press: creates or resumes the audio. True when sound can play. */
  allow(): Promise<boolean>;
  /** Plays the tone if the browser allows it; says whether it did. */
  play(): boolean;
}

/** Ding–dong: B5 then G5, soft attack and release so it does not click. */
const NOTES = [
  { frequency: 988, start: 0, length: 0.18 },
  { frequency: 784, start: 0.22, length: 0.32 },
];
const VOLUME = 0.35;

/** With no factory, the browser's own AudioContext. */
export function createAlertSound(factory?: ToneContextFactory): AlertSound {
  const makeContext = factory ?? browserToneContext;
  let context: ToneContext | null = null;

  return {
    supported: factory !== undefined || browserToneContextConstructor() !== undefined,
    isAllowed: () => context !== null && context.state === 'running',
    async allow() {
      context ??= makeContext();
      if (context === null) return false;
      if (context.state !== 'running') {
        try {
          await context.resume();
        } catch {
          return false;
        }
      }
      return context.state === 'running';
    },
    play() {
      if (context === null || context.state !== 'running') return false;
      const now = context.currentTime;
      for (const note of NOTES) {
        const oscillator = context.createOscillator();
        const envelope = context.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.setValueAtTime(note.frequency, now + note.start);
        envelope.gain.setValueAtTime(0, now + note.start);
        envelope.gain.linearRampToValueAtTime(VOLUME, now + note.start + 0.02);
        envelope.gain.linearRampToValueAtTime(0, now + note.start + note.length);
        oscillator.connect(envelope);
        envelope.connect(context.destination);
        oscillator.start(now + note.start);
        oscillator.stop(now + note.start + note.length + 0.05);
      }
      return true;
    },
  };
}
