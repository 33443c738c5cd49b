import { useTranslation } from 'react-i18next';
import { useDialogs } from '../../ui/dialogs';

/** Opens the check panel (checks run when it opens: on a big account they are not free). */
export function ChecksButton() {
  const { t } = useTranslation();
  const show = useDialogs((s) => s.show);
  return (
    <button type="button" data-testid="open-checks" onClick={() => show('checks')}>
      {t('checks.open')}
    </button>
  );
}
