/**
 * The only context menu a service page gets: cut, copy and paste, as Electron's own roles
 * (no item that could navigate, save, print, inspect or open a link elsewhere). Shown
 * only when one of them applies; the launcher gets no context menu at all.
 */
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';

export type EditMenuParams = Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'editFlags'>;

export type EditMenuTemplate = readonly (MenuItemConstructorOptions & { role: 'cut' | 'copy' | 'paste' })[];

export function editMenuTemplate({ isEditable, selectionText, editFlags }: EditMenuParams): EditMenuTemplate {
  if (isEditable) {
    const template = [
      { role: 'cut' as const, enabled: editFlags.canCut },
      { role: 'copy' as const, enabled: editFlags.canCopy },
      { role: 'paste' as const, enabled: editFlags.canPaste },
    ];
    return template.some((item) => item.enabled) ? template : [];
  }
  return selectionText.trim() === '' ? [] : [{ role: 'copy', enabled: true }];
}
