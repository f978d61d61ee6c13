import type { Ref } from 'react';
import { ACTION_ICONS, DIRECTIONAL_ACTIONS, type ActionId } from '../icons/icon-map';

export interface ActionButtonProps {
  /** What the button does: it chooses the pictogram, the same wherever the action is offered. */
  readonly action: ActionId;
  /** The words on the button, and its whole accessible name (the pictogram is hidden from screen readers). */
  readonly label: string;
  readonly tone: 'primary' | 'calm' | 'erase';
  readonly onClick: () => void;
  readonly ref?: Ref<HTMLButtonElement>;
  readonly disabled?: boolean;
  /** Waiting for an answer: the button keeps the focus (it is not disabled) but says it is busy. */
  readonly busy?: boolean;
  /** The classes of the place the button sits in (the idle warning's bigger button, a banner's). */
  readonly className?: string;
}

/** A big button of a dialog, notice or banner: a pictogram at the start of the line, then the words. */
export function ActionButton({ action, label, tone, onClick, ref, disabled = false, busy = false, className }: ActionButtonProps) {
  const Icon = ACTION_ICONS[action];
  const classes = ['big-button', `big-button--${tone}`, 'action-button', className].filter((name) => name !== undefined && name !== '').join(' ');
  return (
    <button ref={ref} type="button" className={classes} disabled={disabled} aria-disabled={busy || undefined} data-action={action} onClick={onClick}>
      <Icon
        className={DIRECTIONAL_ACTIONS.has(action) ? 'action-button-icon action-button-icon--directional' : 'action-button-icon'}
        aria-hidden="true"
        focusable="false"
        strokeWidth={2.25}
      />
      <span className="action-button-label">{label}</span>
    </button>
  );
}
