import type { LucideIcon } from 'lucide-react';

export interface BarButtonProps {
  readonly icon: LucideIcon;
  readonly label: string;
  readonly onClick: () => void;
  readonly tone?: 'plain' | 'help' | 'end';
  readonly disabled?: boolean;
}

/** A toolbar button: pictogram above a short word, the same on every screen. */
export function BarButton({ icon: Icon, label, onClick, tone = 'plain', disabled = false }: BarButtonProps) {
  return (
    <button type="button" className={`bar-button bar-button--${tone}`} onClick={onClick} disabled={disabled}>
      <Icon className="bar-button-icon" aria-hidden="true" focusable="false" strokeWidth={2.25} />
      <span className="bar-button-label">{label}</span>
    </button>
  );
}
