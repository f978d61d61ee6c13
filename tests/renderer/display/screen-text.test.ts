/**
 * What reading aloud reads, taken from the DOM: the visible words of the layer in front
 * of the visitor, in screen order, without what is hidden from people.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { liveRegionOf, nameToRead, readingLayer, textsToRead, visibleText } from '../../../renderer/display/screen-text';

function mount(html: string): HTMLElement {
  const root = document.createElement('div');
  root.id = 'root';
  root.innerHTML = html;
  document.body.append(root);
  return root;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the text of a screen, as reading aloud says it', () => {
  it('reads headings, instructions and every tile label in screen order', () => {
    const root = mount(`
      <div class="screen">
        <header><p>EPN Namur</p><h1>What would you like to do?</h1>
          <nav><button><svg aria-hidden="true"></svg><span>Help</span></button></nav></header>
        <main>
          <section><h2><svg aria-hidden="true"></svg>Official papers</h2>
            <div><button aria-label="My taxes"><svg aria-hidden="true"></svg><span>My taxes</span><span>MyMinfin</span></button>
                 <button><span>Information and forms</span></button></div></section>
        </main>
      </div>`);
    expect(textsToRead(root)).toEqual(['EPN Namur', 'What would you like to do?', 'Help', 'Official papers', 'My taxes MyMinfin', 'Information and forms']);
  });

  it('leaves out what is hidden from people and what only screen readers hear', () => {
    const root = mount(`
      <div class="screen">
        <p>Shown</p>
        <p aria-hidden="true">42</p>
        <p hidden>Hidden</p>
        <div inert><button>Behind the dialog</button></div>
        <p class="visually-hidden" aria-live="polite">Said to screen readers</p>
        <button><span aria-hidden="true">●●○○</span>Bigger text</button>
      </div>`);
    expect(textsToRead(root)).toEqual(['Shown', 'Bigger text']);
  });

  it('names an icon-only button by its label, and tidies spaces', () => {
    const root = mount(`<button aria-label="Close"><svg aria-hidden="true"></svg></button><p>  Two
      lines  </p>`);
    expect(nameToRead(root.querySelector('button')!)).toBe('Close');
    expect(visibleText(root.querySelector('p')!)).toBe('Two lines');
    expect(textsToRead(root)).toEqual(['Close', 'Two lines']);
  });

  it('reads nothing of a layer that is itself hidden', () => {
    const root = mount('<div class="screen" inert><p>Covered</p></div>');
    expect(textsToRead(root.querySelector('.screen')!)).toEqual([]);
  });
});

describe('the layer in front of the visitor', () => {
  it('is the last open modal dialog', () => {
    mount(`<div class="screen" inert><p>Launcher</p></div>
      <div role="dialog" aria-modal="true" id="first"><p>One</p></div>
      <div role="alertdialog" aria-modal="true" id="second"><p>Two</p></div>`);
    expect(readingLayer(document)?.id).toBe('second');
  });

  it('is the screen when nothing covers it', () => {
    mount('<div class="screen"><p>Launcher</p></div>');
    expect(readingLayer(document)?.className).toBe('screen');
  });

  it('is the page without the screen when a notice covers it', () => {
    const root = mount('<div class="screen" inert><p>Launcher</p></div><div role="alert"><p>Sorry, something went wrong.</p><button>OK</button></div>');
    expect(readingLayer(document)).toBe(root);
    expect(textsToRead(root)).toEqual(['Sorry, something went wrong. OK']);
  });
});

describe('live regions', () => {
  it('finds the polite, assertive, status and alert region of a change, and not a timer ticking', () => {
    const root = mount(`
      <p aria-live="polite"><span id="a">10 seconds</span></p>
      <div role="status"><p id="b">A helper is coming</p></div>
      <p role="alert" id="c">Error</p>
      <p role="timer" id="d">29</p>
      <p aria-live="off"><span id="e">quiet</span></p>`);
    expect(liveRegionOf(root.querySelector('#a')!.firstChild!)?.getAttribute('aria-live')).toBe('polite');
    expect(liveRegionOf(root.querySelector('#b')!)?.getAttribute('role')).toBe('status');
    expect(liveRegionOf(root.querySelector('#c')!)?.id).toBe('c');
    expect(liveRegionOf(root.querySelector('#d')!)).toBeNull();
    expect(liveRegionOf(root.querySelector('#e')!)).toBeNull();
  });
});

describe('spaces', () => {
  it('collapses runs of spaces and line breaks as the screen does, and keeps no-break spaces', () => {
    const root = mount('<h1>Que voulez-vous faire\u00a0?</h1><p>Deux\n   lignes</p>');
    expect(textsToRead(root)).toEqual(['Que voulez-vous faire\u00a0?', 'Deux lignes']);
  });
});
