import { ChecksPanel } from './features/checks/ChecksPanel';
import { BackupDialog } from './features/operations/BackupDialog';
import { BulkEditDialog } from './features/operations/BulkEditDialog';
import { CopyMoveDialog } from './features/operations/CopyMoveDialog';
import { CsvExportDialog } from './features/operations/CsvExportDialog';
import { CsvImportDialog } from './features/operations/CsvImportDialog';
import { FindReplaceDialog } from './features/operations/FindReplaceDialog';
import { ShareDialog } from './features/operations/ShareDialog';
import { useTarget } from './features/operations/shared';
import { ShortcutSheet } from './features/shortcuts/ShortcutSheet';
import { useDialogs } from './ui/dialogs';

/**
 * Renders the open dialog (one at a time); mounted once beside the top bar. It lives in the
 * shell, not in a feature, because the dialogs belong to several features (operations, checks,
 * shortcuts) and features do not import one another.
 */
export function Dialogs() {
  const open = useDialogs((s) => s.open);
  const close = useDialogs((s) => s.close);
  const target = useTarget();
  switch (open) {
    case 'bulk':
      return <BulkEditDialog target={target} onClose={close} />;
    case 'replace':
      return <FindReplaceDialog target={target} onClose={close} />;
    case 'copyMove':
      return <CopyMoveDialog target={target} onClose={close} />;
    case 'csvImport':
      return <CsvImportDialog target={target} onClose={close} />;
    case 'csvExport':
      return <CsvExportDialog target={target} onClose={close} />;
    case 'backup':
      return <BackupDialog onClose={close} />;
    case 'share':
      return <ShareDialog onClose={close} />;
    case 'checks':
      return <ChecksPanel onClose={close} />;
    case 'shortcuts':
      return <ShortcutSheet onClose={close} />;
    default:
      return null;
  }
}
