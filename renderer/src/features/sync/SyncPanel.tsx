import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../../api/queries';
import { count } from '../../format';
import { host } from '../../host';
import { useUi } from '../../state/uiStore';
import { isEntityKind, type EntityKind } from '../../../../shared/domain/kinds';
import { useAccounts, useSyncScope } from '../../state/useAccounts';
import { ConflictView } from './ConflictView';
import { failureText, MerchantOutcomes } from './Outcomes';
import { Rejections } from './Rejections';
import { cancelSync, startSync, useSyncRun } from '../../state/syncStore';
import './sync.css';
import '../../ui/ink.css';

/**
 * The top bar's sync: the button with the unposted-changes badge, progress (phase, done / total)
 * and cancel while it runs (and each account that failed so far, while the others go on),
 * offline as a plain state, the per-account outcomes and per-row results of the last sync and
 * the conflicts waiting for a choice.
 */
export function SyncPanel() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const status = useSyncStatus();
  const { running, progress, result, error, offlineSince, setProgress, finished, noteFinished } = useSyncRun();
  const focusOn = useUi((s) => s.focusOn);
  const [showResult, setShowResult] = useState(false);
  const [showConflicts, setShowConflicts] = useState(false);
  const scope = useSyncScope();
  const accounts = useAccounts();
  const accountName = (id: string) => {
    const a = accounts.data?.accounts.find((x) => x.id === id);
    return a ? (i18n.language === 'zh' ? a.name : a.nameEn) : id;
  };
  const several = (accounts.data?.accounts.filter((a) => a.local).length ?? 0) > 1;
  const pending = status.data?.pending ?? 0;
  const conflicts = status.data?.conflicts ?? 0;

  useEffect(
    () =>
      host.subscribe((e) => {
        if (e.type === 'sync.progress') setProgress({ phase: e.phase, done: e.done, total: e.total, merchantId: e.merchantId });
        else if (e.type === 'sync.merchant') {
          const { type: _type, ...m } = e;
          noteFinished(m);
        }
      }),
    [setProgress, noteFinished],
  );
  // The result panel floats over the workspace: a click elsewhere or Escape puts it away.
  const resultRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!showResult) return;
    const away = (e: Event) => {
      const inside = resultRef.current?.contains(e.target as Node) || toggleRef.current?.contains(e.target as Node);
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !inside) setShowResult(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', away);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', away);
    };
  }, [showResult]);

  const run = () => {
    setShowResult(false);
    void startSync(scope.merchantIds, () => void qc.invalidateQueries()).then((summary) => {
      if (summary) setShowResult(true);
      if (summary && summary.conflicts > 0) setShowConflicts(true);
    });
  };

  const progressText = progress
    ? `${several ? `${accountName(progress.merchantId)}: ` : ''}${t('sync.progress', { phase: t(`sync.phase.${progress.phase}`), done: count(progress.done), total: count(progress.total) })}`
    : t('sync.starting');
  const troubledSoFar = finished.filter((m) => m.outcome !== 'done');
  const notSynced = result ? result.merchants.filter((m) => m.outcome !== 'done').length : 0;

  return (
    <section className="sync" aria-label={t('sync.region')}>
      <button type="button" className="sync-button" data-testid="sync-button" onClick={run} disabled={running}>
        {running ? t('sync.running') : t('sync.button')}
      </button>
      {scope.merchantIds && (
        <span className="hint" data-testid="sync-scope">
          {t('sync.scope', { chosen: scope.chosen, total: scope.total })}
        </span>
      )}
      <span className={pending > 0 ? 'pending badge' : 'pending'} data-testid="pending-count" data-count={pending}>
        {pending > 0 ? t('sync.pending', { count: pending }) : t('sync.none')}
      </span>
      {running && (
        <span className="sync-progress" data-testid="sync-progress">
          <progress
            max={progress?.total || 1}
            value={progress ? progress.done : undefined}
            aria-label={progressText}
          />
          <span data-testid="sync-phase" data-phase={progress?.phase ?? ''}>
            {progressText}
          </span>
          <button type="button" onClick={() => void cancelSync()}>
            {t('sync.cancel')}
          </button>
          {troubledSoFar.length > 0 && (
            <span className="reason" data-testid="sync-live-outcomes">
              {troubledSoFar
                .map((m) => `${accountName(m.merchantId)}: ${m.outcome === 'failed' ? t('sync.outcome.failed', { reason: failureText(t, m.failure) }) : t('sync.blocked.title', { count: m.errors ?? 0 })}`)
                .join(' · ')}
            </span>
          )}
        </span>
      )}
      {offlineSince && !running && (
        <span className="offline" role="status" data-testid="offline" title={`${t('sync.offlineLong')} ${error?.message ?? ''}`}>
          {t('sync.offline')}
        </span>
      )}
      {conflicts > 0 && (
        <button type="button" className="conflicts" data-testid="conflict-count" data-count={conflicts} onClick={() => setShowConflicts(true)}>
          {t('sync.conflicts', { count: conflicts })}
        </button>
      )}
      {/* Always there once a sync finished: the top bar must not reflow under a click that closes the panel. */}
      <Rejections count={status.data?.rejected ?? 0} />
      {result && (
        <button
          type="button"
          ref={toggleRef}
          className={notSynced > 0 ? 'not-synced' : 'link'}
          aria-expanded={showResult}
          onClick={() => setShowResult((v) => !v)}
          data-testid="sync-result-toggle"
          data-not-synced={notSynced}
        >
          {notSynced > 0 ? t('sync.notSynced', { count: notSynced }) : t('sync.showResult')}
        </button>
      )}
      {error && error.code !== 'offline' && !running && (
        <div role="alert" className="sync-error" data-testid="sync-error" data-code={error.code}>
          {error.code === 'cancelled' && t('sync.cancelled')}
          {error.code !== 'cancelled' && t(`sync.error.${error.code}`, { defaultValue: t('sync.failed', { message: error.message }), message: error.message })}
          <button type="button" className="link" onClick={() => useSyncRun.setState({ error: null })}>
            {t('sync.dismiss')}
          </button>
        </div>
      )}
      {result && showResult && (
        <div role="status" className="sync-result" data-testid="sync-result" ref={resultRef}>
          <div className="row">
            <p>
              {t('sync.result', { applied: result.applied, rejected: result.rejected, conflicts: result.conflicts, pulled: result.pulled })}
            </p>
            <button type="button" onClick={() => setShowResult(false)}>
              {t('sync.close')}
            </button>
          </div>
          <MerchantOutcomes merchants={result.merchants} accountName={accountName} />
          {result.results.length > 0 && (
            <ul>
              {result.results.slice(0, 200).map((r) => (
                <li key={`${r.entity}:${r.entityId}:${r.status}:${r.fields.join(',')}`} data-status={r.status} data-entity-id={r.entityId}>
                  <strong className={`status-${r.status}`}>{t(`sync.row.${r.status}`)}</strong> {several && <span className="hint">{accountName(r.merchantId)} · </span>}{t(`sync.kind.${r.entity}`, { defaultValue: r.entity })} {r.entityId}
                  {r.fields.length > 0 && <span className="hint"> · {r.fields.join(', ')}</span>}
                  {r.message && <span className="reason"> — {r.message}</span>}{' '}
                  {r.status === 'conflict' ? (
                    <button type="button" className="link" onClick={() => setShowConflicts(true)}>
                      {t('sync.resolve')}
                    </button>
                  ) : (
                    isEntityKind(r.entity) && (
                      <button type="button" className="link" onClick={() => focusOn({ kind: r.entity as EntityKind, id: r.entityId })}>
                        {t('sync.show')}
                      </button>
                    )
                  )}
                </li>
              ))}
            </ul>
          )}
          {result.results.length > 200 && <p className="hint">{t('sync.moreRows', { count: result.results.length - 200 })}</p>}
        </div>
      )}
      <ConflictView open={showConflicts} onClose={() => setShowConflicts(false)} />
    </section>
  );
}
