import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './ui.css';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the window inert, Esc
 * closes (through onClose, so React state stays the truth), Tab wraps inside, and focus goes
 * back to where it was when the dialog closes.
 */
export function Dialog({ title, onClose, children, wide, testId }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = document.activeElement as HTMLElement | null;
    if (!el.open) el.showModal();
    // showModal focuses the first focusable (the close button); start where the work is instead.
    const start = el.querySelector<HTMLElement>('[data-autofocus]') ?? el.querySelector<HTMLElement>(`.op-dialog-body :is(${FOCUSABLE})`);
    start?.focus();
    return () => {
      if (el.open) el.close();
      // The opener may have re-rendered away; the body is the safe fallback.
      if (before && before.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'op-dialog wide' : 'op-dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Tab') return;
        const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter((x) => x.offsetParent !== null || x === document.activeElement);
        const first = items[0];
        const last = items[items.length - 1];
        if (!first || !last) return;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }}
    >
      <header className="op-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="op-close" aria-label={t('ops.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="op-dialog-body">{children}</div>
    </dialog>
  );
}
