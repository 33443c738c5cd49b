import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountInfo, MethodOutput } from '../../../../shared/contract';
import { useUi } from '../../state/uiStore';
import { getFullAccount, startSync, useSyncRun, type SyncFailure } from '../../state/syncStore';
import { useAccountsUi } from '../../state/accountsStore';
import { useAccounts, useCurrentMerchant } from '../../state/useAccounts';
import './accounts.css';
import '../../ui/ink.css';
import { useModal } from '../../ui/useModal';

const nameOf = (a: { name: string; nameEn: string }, lang: string) => (lang === 'zh' ? a.name : a.nameEn);

/**
 * Which merchant the window works on (several can share one store; an agency's token manages
 * many), plus the accounts panel: choose the accounts Sync covers, download one not here yet,
 * or get a full account again — never discarding unposted work without asking and a backup.
 */
export function AccountSwitcher() {
  const { t, i18n } = useTranslation();
  const accounts = useAccounts();
  const current = useCurrentMerchant();
  const setMerchant = useUi((s) => s.setMerchant);
  const [open, setOpen] = useState(false);
  const local = (accounts.data?.accounts ?? []).filter((a) => a.local);
  return (
    <div className="accounts-switcher">
      {local.length > 1 && current && (
        <>
          <label htmlFor="account-select" className="visually-hidden">
            {t('accounts.current')}
          </label>
          <select id="account-select" data-testid="account-select" value={current.id} onChange={(e) => setMerchant(e.target.value)}>
            {local.map((a) => (
              <option key={a.id} value={a.id}>
                {nameOf(a, i18n.language)}
                {a.pending > 0 ? ` · ${t('accounts.pendingShort', { count: a.pending })}` : ''}
              </option>
            ))}
          </select>
        </>
      )}
      <button type="button" data-testid="accounts-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('accounts.button')}
      </button>
      <AccountsDialog open={open} onClose={() => setOpen(false)} />
    </div>
  );
}

function AccountsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const accounts = useAccounts();
  const current = useCurrentMerchant();
  const setMerchant = useUi((s) => s.setMerchant);
  const { syncSubset, setSyncSubset } = useAccountsUi();
  const running = useSyncRun((s) => s.running);
  const [confirm, setConfirm] = useState<{ account: AccountInfo; unposted: number; conflicts: number } | null>(null);
  const [done, setDone] = useState<MethodOutput<'sync.refresh'> | null>(null);
  const [failure, setFailure] = useState<SyncFailure | null>(null);

  useModal(dialog, open);

  const list = accounts.data?.accounts ?? [];
  const localIds = list.filter((a) => a.local).map((a) => a.id);
  const chosen = new Set(syncSubset ?? localIds);
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    const ids = list.map((a) => a.id).filter((x) => next.has(x));
    // Exactly the accounts in this store is the default: store it as "all", so new ones join.
    const isDefault = ids.length === localIds.length && ids.every((x) => localIds.includes(x));
    setSyncSubset(isDefault ? null : ids);
  };
  const refresh = async (account: AccountInfo, confirmed: boolean) => {
    setFailure(null);
    setDone(null);
    const r = await getFullAccount(account.id, confirmed);
    void qc.invalidateQueries();
    if (r.ok) {
      setConfirm(null);
      setDone(r.value);
    } else if (r.error.code === 'unposted_changes') {
      setConfirm({ account, unposted: Number(r.error.details?.unposted ?? 0), conflicts: Number(r.error.details?.conflicts ?? 0) });
    } else {
      setConfirm(null);
      setFailure(r.error);
    }
  };
  const download = (account: AccountInfo) => void startSync([account.id], () => void qc.invalidateQueries());

  return (
    <dialog ref={dialog} className="accounts-dialog" aria-labelledby="accounts-title" onClose={onClose} data-testid="accounts-dialog">
      <header className="row">
        <h2 id="accounts-title">{t('accounts.title')}</h2>
        <button type="button" onClick={onClose}>
          {t('accounts.close')}
        </button>
      </header>
      {accounts.data && (
        <p className="hint" data-testid="accounts-server" data-server={accounts.data.server}>
          {t(`accounts.server.${accounts.data.server}`, { message: accounts.data.serverMessage ?? '' })}
          {accounts.data.principal && ` · ${t(`accounts.principal.${accounts.data.principal.kind}`, { id: accounts.data.principal.id })}`}
        </p>
      )}
      {accounts.isError && <p role="alert">{t('accounts.failed', { message: accounts.error.message })}</p>}
      <table className="accounts-table">
        <thead>
          <tr>
            <th scope="col">{t('accounts.col.sync')}</th>
            <th scope="col">{t('accounts.col.account')}</th>
            <th scope="col" className="num">{t('accounts.col.pending')}</th>
            <th scope="col" className="num">{t('accounts.col.conflicts')}</th>
            <th scope="col" className="num">{t('accounts.col.rejected')}</th>
            <th scope="col">{t('accounts.col.lastSync')}</th>
            <th scope="col">{t('accounts.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((a) => (
            <tr key={a.id} data-account-id={a.id} className={current?.id === a.id ? 'selected' : undefined}>
              <td>
                <input
                  type="checkbox"
                  checked={chosen.has(a.id)}
                  onChange={() => toggle(a.id)}
                  aria-label={t('accounts.syncThis', { name: nameOf(a, i18n.language) })}
                  data-testid="sync-choice"
                />
              </td>
              <th scope="row">
                {nameOf(a, i18n.language)} <span className="hint">{a.id}</span>
                {!a.local && <span className="badge">{t('accounts.notDownloaded')}</span>}
                {a.reachable === false && <span className="badge warn">{t('accounts.unreachable')}</span>}
              </th>
              <td className="num">{a.pending}</td>
              <td className="num">{a.conflicts}</td>
              <td className="num">{a.rejected}</td>
              <td>{a.lastSyncAt ? new Intl.DateTimeFormat(i18n.language === 'zh' ? 'zh-CN' : 'en-US', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date(a.lastSyncAt)) : t('accounts.never')}</td>
              <td className="actions">
                {a.local ? (
                  <>
                    <button type="button" disabled={current?.id === a.id} onClick={() => setMerchant(a.id)}>
                      {current?.id === a.id ? t('accounts.opened') : t('accounts.open')}
                    </button>
                    <button type="button" disabled={running || a.reachable === false} onClick={() => void refresh(a, false)} data-testid="full-refresh">
                      {t('accounts.fullRefresh')}
                    </button>
                  </>
                ) : (
                  <button type="button" disabled={running} onClick={() => download(a)} data-testid="download-account">
                    {t('accounts.download')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('accounts.subsetHint')}</p>
      {done && (
        <p role="status" data-testid="refresh-done">
          {t('accounts.refreshed', { name: nameOf(list.find((a) => a.id === done.merchantId) ?? { name: done.merchantId, nameEn: done.merchantId }, i18n.language), count: done.discarded, pulled: done.summary.pulled })}{' '}
          {done.backup && t('accounts.backupAt', { file: done.backup.file })}
        </p>
      )}
      {failure && (
        <p role="alert" data-testid="refresh-failed">
          {t('accounts.refreshFailed', { message: failure.message })}
        </p>
      )}
      {confirm && <ConfirmRefresh {...confirm} busy={running} onCancel={() => setConfirm(null)} onConfirm={() => void refresh(confirm.account, true)} />}
    </dialog>
  );
}

/** The "are you sure" of a full refresh: how much unposted work it discards, and that a backup is kept. */
function ConfirmRefresh({ account, unposted, conflicts, busy, onCancel, onConfirm }: { account: AccountInfo; unposted: number; conflicts: number; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { t, i18n } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const name = nameOf(account, i18n.language);
  return (
    <dialog ref={dialog} role="alertdialog" className="dialog" aria-labelledby="refresh-title" aria-describedby="refresh-body" onClose={onCancel} data-testid="refresh-confirm">
      <h2 id="refresh-title">{t('accounts.confirm.title', { name })}</h2>
      <div id="refresh-body">
        <p data-testid="refresh-unposted" data-count={unposted}>
          <strong>{t('accounts.confirm.unposted', { count: unposted, name })}</strong>
          {conflicts > 0 && <> {t('accounts.confirm.conflicts', { count: conflicts })}</>}
        </p>
        <p>{t('accounts.confirm.discard')}</p>
        <p>{t('accounts.confirm.backup')}</p>
      </div>
      <div className="actions">
        {/* Cancel first and focused: the safe choice is the default. */}
        <button type="button" onClick={onCancel} autoFocus>
          {t('accounts.confirm.cancel')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm} data-testid="refresh-confirm-button">
          {t('accounts.confirm.go', { count: unposted })}
        </button>
      </div>
    </dialog>
  );
}
