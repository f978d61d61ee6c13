import type { ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';

export interface BarButtonProps {
  readonly icon: LucideIcon;
  readonly label: string;
  readonly onClick: () => void;
  readonly tone?: 'plain' | 'help' | 'end';
  readonly disabled?: boolean;
  /** A switch (strong colours, read aloud): on or off, told to screen readers with aria-pressed. */
  readonly pressed?: boolean | undefined;
  /** The id of a text that says more than the label (the text size in force). */
  readonly describedBy?: string | undefined;
  /** The pictogram points along the reading direction (Back): it turns round in right-to-left languages. */
  readonly directional?: boolean;
  /** A small drawing under the label (the text size steps); hidden from screen readers by its owner. */
  readonly children?: ReactNode;
}

/** A toolbar button: pictogram above a short word, the same on every screen. */
export function BarButton({ icon: Icon, label, onClick, tone = 'plain', disabled = false, pressed, describedBy, directional = false, children }: BarButtonProps) {
  return (
    <button
      type="button"
      className={`bar-button bar-button--${tone}`}
      onClick={onClick}
      disabled={disabled}
      aria-pressed={pressed}
      aria-describedby={describedBy}
    >
      <Icon
        className={directional ? 'bar-button-icon bar-button-icon--directional' : 'bar-button-icon'}
        aria-hidden="true"
        focusable="false"
        strokeWidth={2.25}
      />
      <span className="bar-button-label">{label}</span>
      {children}
    </button>
  );
}
