import { useTranslation } from 'react-i18next';
import { ContractError } from '../../../shared/contract';
import './ui.css';

/** A contract error as a readable message, with the fields it names. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ContractError ? (error.issues ?? []) : [];
  return (
    <div role="alert" className="op-error" data-testid="op-error">
      <p>{t('ops.failed', { message })}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
