import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog';
import { SHEET } from './keys';

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** Every shortcut, on `?`. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const mod = isMac() ? '⌘' : 'Ctrl';
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} testId="shortcut-sheet">
      <table className="op-table shortcut-sheet">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.keys')}</th>
            <th scope="col">{t('shortcuts.does')}</th>
          </tr>
        </thead>
        <tbody>
          {SHEET.map((row) => (
            <tr key={row.what}>
              <td>
                {row.keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 && ' + '}
                    <kbd>{key === 'Mod' ? mod : key}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(`shortcuts.what.${row.what}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
