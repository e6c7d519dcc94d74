import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  /** The accessible name ("Pull image", "Remove image"). */
  readonly label: string;
  readonly title: ReactNode;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly footer?: ReactNode;
}

/** A modal panel over the app: Escape or the × closes it, focus moves into it when it opens. */
export function Dialog({ label, title, onClose, children, footer }: DialogProps) {
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = panel.current;
    if (node !== null && !node.contains(document.activeElement)) {
      const first = node.querySelector<HTMLElement>('input, button:not([disabled])');
      (first ?? node).focus();
    }
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        ref={panel}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="dialog-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer === undefined ? null : <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>
  );
}
