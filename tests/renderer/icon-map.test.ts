import { render } from '@testing-library/react';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ICON_IDS } from '../../shared/config/icons';
import { ACTION_ICONS, DIRECTIONAL_ACTIONS, SERVICE_ICONS, TOOLBAR_ICONS } from '../../renderer/icons/icon-map';

function drawingOf(icon: (typeof SERVICE_ICONS)[keyof typeof SERVICE_ICONS]): string {
  const { container, unmount } = render(createElement(icon));
  const svg = container.querySelector('svg');
  const drawing = svg === null ? '' : svg.innerHTML;
  unmount();
  return drawing;
}

describe('icon map', () => {
  it('has a drawing for every icon id a configuration may name, and nothing else', () => {
    expect(Object.keys(SERVICE_ICONS).sort()).toEqual([...ICON_IDS].sort());
    for (const id of ICON_IDS) {
      expect(drawingOf(SERVICE_ICONS[id]), id).not.toBe('');
    }
  });

  it('draws different ids differently, so tiles can be told apart', () => {
    const drawings = new Set(ICON_IDS.map((id) => drawingOf(SERVICE_ICONS[id])));
    expect(drawings.size).toBe(ICON_IDS.length);
  });

  it('gives each toolbar button its own pictogram (Home, Back, Help, End session, My files, Bigger text, Strong colours, Read aloud)', () => {
    expect(Object.keys(TOOLBAR_ICONS).sort()).toEqual(['back', 'contrast', 'endSession', 'files', 'help', 'home', 'readAloud', 'textSize']);
    const drawings = new Set(Object.values(TOOLBAR_ICONS).map((icon) => drawingOf(icon)));
    expect(drawings.size).toBe(8);
    expect(drawings.has('')).toBe(false);
  });

  it('gives each action of the dialogs its own pictogram, and opening the call again and Listen the toolbar’s Help and Read aloud', () => {
    const ownDrawings = Object.entries(ACTION_ICONS)
      .filter(([action]) => action !== 'seeCall' && action !== 'listen')
      .map(([, icon]) => drawingOf(icon));
    expect(new Set(ownDrawings).size).toBe(ownDrawings.length);
    expect(ownDrawings).not.toContain('');
    // Not one of the toolbar's either: a dialog's "No, continue" must not look like Back or End session.
    const toolbarDrawings = new Set(Object.values(TOOLBAR_ICONS).map((icon) => drawingOf(icon)));
    for (const drawing of ownDrawings) expect(toolbarDrawings.has(drawing)).toBe(false);
    expect(drawingOf(ACTION_ICONS.seeCall)).toBe(drawingOf(TOOLBAR_ICONS.help));
    expect(drawingOf(ACTION_ICONS.listen)).toBe(drawingOf(TOOLBAR_ICONS.readAloud));
  });

  it('turns round only the pictograms that point along the line', () => {
    expect([...DIRECTIONAL_ACTIONS].sort()).toEqual(['continue', 'openInNewTab', 'send']);
  });
});
