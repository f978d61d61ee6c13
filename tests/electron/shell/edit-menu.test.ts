import { describe, expect, it } from 'vitest';
import { editMenuTemplate } from '../../../electron/shell/edit-menu';

const flags = (canCut: boolean, canCopy: boolean, canPaste: boolean) => ({ canUndo: true, canRedo: true, canCut, canCopy, canPaste, canDelete: true, canSelectAll: true, canEditRichly: true });

describe('editMenuTemplate', () => {
  it('offers only cut, copy and paste in a text field, each enabled as the page allows', () => {
    expect(editMenuTemplate({ isEditable: true, selectionText: 'abc', editFlags: flags(true, true, false) })).toEqual([
      { role: 'cut', enabled: true },
      { role: 'copy', enabled: true },
      { role: 'paste', enabled: false },
    ]);
  });

  it('offers copy alone on selected text outside a field', () => {
    expect(editMenuTemplate({ isEditable: false, selectionText: 'reference 2025/123', editFlags: flags(false, true, false) })).toEqual([{ role: 'copy', enabled: true }]);
  });

  it('shows nothing where none of them applies (links, images, the page itself)', () => {
    expect(editMenuTemplate({ isEditable: false, selectionText: '   ', editFlags: flags(false, false, false) })).toEqual([]);
    expect(editMenuTemplate({ isEditable: true, selectionText: '', editFlags: flags(false, false, false) })).toEqual([]);
  });

  it('never offers anything but the three roles', () => {
    const roles = new Set(
      [true, false].flatMap((isEditable) => editMenuTemplate({ isEditable, selectionText: 'x', editFlags: flags(true, true, true) }).map((item) => item.role)),
    );
    expect(roles).toEqual(new Set(['cut', 'copy', 'paste']));
  });
});
