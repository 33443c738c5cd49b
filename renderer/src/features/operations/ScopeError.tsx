import { useTranslation } from 'react-i18next';
import { ContractError } from '../../../../shared/contract';
import { useAccounts } from '../../state/useAccounts';
import { ErrorNote } from '../../ui/ErrorNote';

/** Why a share or an import was refused for the account (the core's `details.reason`). */
type ScopeReason = 'other_account' | 'account_missing' | 'foreign_rows' | 'choose_account';
const REASONS: readonly string[] = ['other_account', 'account_missing', 'foreign_rows', 'choose_account'] satisfies ScopeReason[];

/**
 * A contract error about which account a proposal or import belongs to, said in the user's
 * language with the account's name (and, for a proposal of another account here, a button that
 * switches to it); any other error as ErrorNote shows it.
 */
export function ScopeErrorNote({ error, what, onSwitch }: { error: unknown; what: 'proposal' | 'csv'; onSwitch?: (merchantId: string) => void }) {
  const { t, i18n } = useTranslation();
  const accounts = useAccounts();
  if (!(error instanceof ContractError) || typeof error.details?.reason !== 'string' || !REASONS.includes(error.details.reason)) return <ErrorNote error={error} />;
  const d = error.details;
  const reason = d.reason as ScopeReason;
  const nameOf = (id: unknown) => {
    const a = (accounts.data?.accounts ?? []).find((x) => x.id === id);
    return a ? (i18n.language === 'zh' ? a.name : a.nameEn) : String(id ?? '');
  };
  const target = typeof d.proposalMerchantId === 'string' ? d.proposalMerchantId : null;
  let text: string;
  if (reason === 'other_account') text = t('scope.otherAccount', { name: nameOf(target) });
  else if (reason === 'account_missing') text = t('scope.accountMissing', { id: target ?? '' });
  else if (reason === 'choose_account') text = t('scope.chooseAccount');
  else text = t(what === 'csv' ? 'scope.csvForeignRows' : 'scope.foreignRows', { count: Number(d.count ?? 0), name: nameOf(d.merchantId) });
  return (
    <div role="alert" className="op-error" data-testid="op-error" data-reason={reason}>
      <p>{text}</p>
      {reason === 'other_account' && target && onSwitch && (
        <div className="actions">
          <button type="button" data-testid="scope-switch" onClick={() => onSwitch(target)}>
            {t('scope.switchTo', { name: nameOf(target) })}
          </button>
        </div>
      )}
      {/* The rows named, as the store listed them (ids, for telling the author what to fix). */}
      {error.issues && error.issues.length > 0 && reason === 'foreign_rows' && (
        <ul>
          {error.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>{i.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
