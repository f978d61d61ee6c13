/**
 * A modal box for a question or a message. Focus moves into it, Tab stays inside it,
 * Escape dismisses it, and focus returns where it was when it closes: keyboard users
 * and screen-reader users never lose their place.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

export interface ModalDialogProps {
  readonly role: 'dialog' | 'alertdialog';
  readonly titleId: string;
  readonly descriptionId: string;
  /** The button that receives focus first: the safe choice, never the destructive one. */
  readonly initialFocus: RefObject<HTMLButtonElement | null>;
  readonly onDismiss: () => void;
  /** An extra class for the box, for a dialog that needs more room. */
  readonly className?: string;
  readonly children: ReactNode;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function ModalDialog({ role, titleId, descriptionId, initialFocus, onDismiss, className, children }: ModalDialogProps) {
  const boxRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const focusedBefore = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    initialFocus.current?.focus();
    return () => focusedBefore?.focus();
  }, [initialFocus]);

  function keepFocusInside(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDismiss();
      return;
    }
    if (event.key !== 'Tab' || boxRef.current === null) return;
    const focusable = [...boxRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (first === undefined || last === undefined) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="modal-backdrop">
      <div
        ref={boxRef}
        className={className === undefined ? 'modal' : `modal ${className}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        onKeyDown={keepFocusInside}
      >
        {children}
      </div>
    </div>
  );
}
