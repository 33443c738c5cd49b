import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDialogs, type DialogName } from '../../ui/dialogs';
import { useTarget } from './shared';
import './operations.css';

const MENU: Exclude<DialogName, 'checks' | 'shortcuts'>[] = ['bulk', 'replace', 'copyMove', 'csvImport', 'csvExport', 'backup', 'share'];

/** The operations menu of the top bar: a disclosure button with one entry per operation. */
export function OperationsMenu() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const show = useDialogs((s) => s.show);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const target = useTarget();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  return (
    <div
      className="ops-menu"
      ref={wrap}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button ref={button} type="button" data-testid="ops-menu" aria-expanded={open} aria-controls="ops-menu-list" onClick={() => setOpen(!open)}>
        {t('ops.menu')} ▾
      </button>
      {open && (
        <ul id="ops-menu-list" className="ops-menu-list">
          <li className="hint ops-menu-target">{target ? t('ops.target', { count: target.ids.length, kind: t(`ops.kind.${target.kind}`) }) : t('ops.noSelectionShort')}</li>
          {MENU.map((d) => (
            <li key={d}>
              <button
                type="button"
                data-testid={`ops-open-${d}`}
                onClick={() => {
                  setOpen(false);
                  // The dialog returns focus to what had it: the menu button, not this vanishing item.
                  button.current?.focus();
                  show(d);
                }}
              >
                {t(`ops.open.${d}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
