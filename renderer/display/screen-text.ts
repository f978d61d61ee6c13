/**
 * What reading aloud reads: the text a visitor sees on the layer in front of them (an
 * open dialog, else the screen), in the order it is on the screen, from the DOM itself —
 * so every heading, instruction, tile label, button and countdown is read, in the words
 * shown, with no second list of texts to keep in step with the screens.
 */

/** Elements read as one piece: their whole visible text, once. */
const READING_UNITS = 'h1, h2, h3, h4, h5, h6, p, button, a, li, label, legend, summary, th, td, dt, dd, figcaption, [role="timer"], [role="status"], [role="alert"]';

/**
 * Not read: what is hidden from people (aria-hidden, hidden, inert) and what exists only
 * for screen readers (.visually-hidden: the live regions repeat what the screen shows).
 */
const NOT_READ = '[aria-hidden="true"], [hidden], [inert], .visually-hidden, script, style, template';

/** Runs of spaces and line breaks as HTML collapses them; no-break spaces stay (French "faire ?"). */
export const COLLAPSIBLE_SPACES = /[ \t\n\r\f]+/gu;

function hiddenFromReading(element: Element): boolean {
  return element.matches(NOT_READ);
}

/** The visible text of an element, without its hidden parts, with spaces tidied. */
export function visibleText(element: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== 1) return;
    const child = node as Element;
    if (child !== element && hiddenFromReading(child)) return;
    // Block-level pieces inside a button ("My taxes" / "MyMinfin") are separate words.
    for (const inner of Array.from(child.childNodes)) {
      walk(inner);
      if (inner.nodeType === 1) parts.push(' ');
    }
  };
  walk(element);
  return parts.join('').replace(COLLAPSIBLE_SPACES, ' ').trim();
}

/** The words to say for one element: what it shows, or its label when it shows no text (an icon button). */
export function nameToRead(element: Element): string {
  const shown = visibleText(element);
  if (shown !== '') return shown;
  return (element.getAttribute('aria-label') ?? element.getAttribute('title') ?? '').trim();
}

/** Every piece of text of `root` to read, in screen order. */
export function textsToRead(root: Element): string[] {
  const texts: string[] = [];
  const walk = (element: Element) => {
    for (const child of Array.from(element.children)) {
      if (hiddenFromReading(child)) continue;
      if (child.matches(READING_UNITS)) {
        const text = nameToRead(child);
        if (text !== '') texts.push(text);
      } else walk(child);
    }
  };
  if (!hiddenFromReading(root)) walk(root);
  return texts;
}

/**
 * The layer in front of the visitor: the last open modal dialog; else the screen; else,
 * when a notice covers the screen (the screen is inert), the whole page without the screen.
 */
export function readingLayer(document: Document): Element | null {
  const dialogs = document.querySelectorAll('[aria-modal="true"]');
  const lastDialog = dialogs.item(dialogs.length - 1) as Element | null;
  if (lastDialog !== null) return lastDialog;
  const screen = document.querySelector('.screen');
  if (screen !== null && !screen.matches('[inert]')) return screen;
  return document.getElementById('root') ?? document.body;
}

/** The live region a change belongs to (polite or assertive; a timer's every tick is not one), or null. */
export function liveRegionOf(node: Node): Element | null {
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return element?.closest('[aria-live="polite"], [aria-live="assertive"], [role="status"], [role="alert"]') ?? null;
}
