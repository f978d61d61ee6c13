/**
 * The visitor's input as the session's idle counter sees it. The launcher reports its
 * own activity over the contract, but a visitor filling a long form inside a service view
 * types and scrolls where the launcher cannot see: Electron's 'input-event' shows every
 * mouse, touch, wheel and key event a webContents receives, before the page does.
 *
 * Nothing of the input is kept or passed on, only that there was some; and at most once
 * per interval, since a moving mouse sends dozens of events a second.
 */
import type { InputEvent } from 'electron';

/** Input that a person makes. Synthetic events ('undefined', 'pointerCausedUaAction') are left out. */
const VISITOR_INPUT_TYPES: ReadonlySet<InputEvent['type']> = new Set<InputEvent['type']>([
  'mouseDown',
  'mouseUp',
  'mouseMove',
  'mouseWheel',
  'contextMenu',
  'rawKeyDown',
  'keyDown',
  'keyUp',
  'char',
  'touchStart',
  'touchMove',
  'touchEnd',
  'gestureTap',
  'gestureTapDown',
  'gestureScrollBegin',
  'gestureScrollUpdate',
  'gestureLongPress',
  'gesturePinchBegin',
  'pointerDown',
  'pointerMove',
]);

export function isVisitorInput(type: InputEvent['type']): boolean {
  return VISITOR_INPUT_TYPES.has(type);
}

export const ACTIVITY_REPORT_INTERVAL_MS = 1_000;

/**
 * Calls `report` for the first visitor input, then at most once per interval. The clock
 * is passed in so the throttle is tested without waiting.
 */
export function createActivityThrottle(report: () => void, now: () => number, intervalMs: number = ACTIVITY_REPORT_INTERVAL_MS): (type: InputEvent['type']) => void {
  let lastReport: number | null = null;
  return (type) => {
    if (!isVisitorInput(type)) return;
    const at = now();
    if (lastReport !== null && at - lastReport < intervalMs && at >= lastReport) return;
    lastReport = at;
    report();
  };
}

export interface InputSource {
  on(event: 'input-event', listener: (event: unknown, input: Pick<InputEvent, 'type'>) => void): unknown;
}

/** Feeds a webContents' input into a throttle made by createActivityThrottle. */
export function watchActivity(contents: InputSource, throttle: (type: InputEvent['type']) => void): void {
  contents.on('input-event', (_event, input) => throttle(input.type));
}
