import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FieldIssue, SyncFailureReason, SyncMerchantSummary } from '../../../../shared/contract';
import { isEntityKind } from '../../../../shared/domain/kinds';
import { useUi } from '../../state/uiStore';
import { fieldLabel } from '../../ui/fieldValues';

/** The typed reason in a few words ("cannot reach the server"); an unexpected code says its message. */
export function failureText(t: TFunction, failure: SyncFailureReason | undefined): string {
  const code = failure?.code ?? 'internal';
  const message = failure?.message ?? '';
  return t(`sync.failure.${code}`, { defaultValue: t('sync.failure.other', { message }) });
}

/**
 * Each merchant of the last sync that did not end `done`: failed (with the reason) or blocked by
 * check errors (with the first of them and a link to each row). The merchants that synced show
 * their rows in the result list beside it: one account's trouble never hides another's results.
 */
export function MerchantOutcomes({ merchants, accountName }: { merchants: SyncMerchantSummary[]; accountName: (id: string) => string }) {
  const { t } = useTranslation();
  const troubled = merchants.filter((m) => m.outcome !== 'done');
  if (troubled.length === 0) return null;
  return (
    <div className="sync-outcomes" role="alert" data-testid="sync-outcomes">
      <ul>
        {troubled.map((m) => (
          <li key={m.merchantId} data-merchant-id={m.merchantId} data-outcome={m.outcome} data-code={m.failure?.code ?? ''}>
            <strong>{accountName(m.merchantId)}</strong>{' '}
            {m.outcome === 'failed' ? (
              <>
                <span className="reason">{t('sync.outcome.failed', { reason: failureText(t, m.failure) })}</span>
                {/* The detail as the host said it (for support: server, status, account). */}
                {m.failure?.message && <span className="hint detail">{m.failure.message}</span>}
              </>
            ) : (
              <>
                <span className="reason">{t('sync.blocked.title', { count: m.errors ?? m.issues?.length ?? 0 })}</span> {t('sync.outcome.blockedBody')}
                <BlockedIssues issues={m.issues ?? []} total={m.errors ?? m.issues?.length ?? 0} />
              </>
            )}
          </li>
        ))}
      </ul>
      {troubled.some((m) => m.outcome === 'failed') && <p className="hint">{t('sync.outcome.failedHint')}</p>}
    </div>
  );
}

/** The first check errors that block posting, each with a link to its row. */
function BlockedIssues({ issues, total }: { issues: FieldIssue[]; total: number }) {
  const { t } = useTranslation();
  const focusOn = useUi((s) => s.focusOn);
  return (
    <>
      <ul>
        {issues.slice(0, 5).map((issue) => {
          const [kind, id, field] = issue.path.split('.');
          return (
            <li key={issue.path}>
              {t(`sync.kind.${kind}`, { defaultValue: kind })} {id}
              {field ? ` · ${fieldLabel(t, field)}` : ''}: {issue.message}{' '}
              {kind && id && isEntityKind(kind) && (
                <button type="button" className="link" onClick={() => focusOn({ kind, id })}>
                  {t('sync.show')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {total > 5 && <p className="hint">{t('sync.blocked.more', { count: total - 5 })}</p>}
    </>
  );
}
