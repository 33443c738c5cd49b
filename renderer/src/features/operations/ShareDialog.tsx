import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/call';
import { useMerchantScope } from '../../api/queries';
import { useUi } from '../../state/uiStore';
import { useCurrentMerchant } from '../../state/useAccounts';
import { Dialog } from '../../ui/Dialog';
import { ScopeErrorNote } from './ScopeError';
import { Applied, download, useValueText } from './shared';
import { stampedName } from './values';

/**
 * Share for review: export the open account's unposted changes with a comment to a file; a
 * reviewer imports the file with that account open and goes through it change by change (a
 * change made against a value that has moved since is marked stale and cannot be applied),
 * accepting or declining each, before applying the accepted ones as one undo step.
 */
export function ShareDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'export' | 'review'>('export');
  return (
    <Dialog title={t('ops.share.title')} onClose={onClose} wide testId="share-dialog">
      <div role="tablist" aria-label={t('ops.share.title')}>
        {(['export', 'review'] as const).map((x) => (
          <button key={x} type="button" role="tab" id={`share-tab-${x}`} aria-controls={`share-panel-${x}`} aria-selected={tab === x} onClick={() => setTab(x)}>
            {t(`ops.share.tab.${x}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`share-panel-${tab}`} aria-labelledby={`share-tab-${tab}`}>
        {tab === 'export' ? <ExportProposal /> : <ReviewProposal />}
      </div>
    </Dialog>
  );
}

/** The open account's display name. */
function useAccountName(): string {
  const { i18n } = useTranslation();
  const current = useCurrentMerchant();
  return current ? (i18n.language === 'zh' ? current.name : current.nameEn) : '';
}

function ExportProposal() {
  const { t } = useTranslation();
  const scope = useMerchantScope();
  const accountName = useAccountName();
  const [author, setAuthor] = useState('');
  const [comment, setComment] = useState('');
  const exp = useMutation({
    mutationFn: () => call('proposal.export', { author, comment, ...scope }),
    onSuccess: (out) => download(stampedName('lantern-proposal', 'json'), out.content, 'application/json'),
  });
  return (
    <div className="op-form">
      {accountName && (
        <p className="hint" data-testid="share-scope">
          {t('scope.shareOf', { name: accountName })}
        </p>
      )}
      <label>
        {t('ops.share.author')}
        <input data-testid="share-author" value={author} maxLength={200} onChange={(e) => setAuthor(e.target.value)} />
      </label>
      <label>
        {t('ops.share.comment')}
        <textarea data-testid="share-comment" value={comment} maxLength={10_000} rows={4} onChange={(e) => setComment(e.target.value)} />
      </label>
      <div className="actions">
        <button type="button" data-testid="share-export" onClick={() => exp.mutate()} disabled={exp.isPending}>
          {t('ops.share.export')}
        </button>
      </div>
      {exp.isSuccess && (
        <p role="status" data-testid="share-exported" data-changes={exp.data.changes}>
          {t('ops.share.exported', { count: exp.data.changes })}
        </p>
      )}
      <ScopeErrorNote error={exp.error} what="proposal" />
    </div>
  );
}

function ReviewProposal() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const fileId = useId();
  const value = useValueText();
  // Changes the reviewer turned down (every fresh change starts accepted).
  const [declined, setDeclined] = useState<Set<string>>(new Set());
  const scope = useMerchantScope();
  const setMerchant = useUi((s) => s.setMerchant);
  // The file's text, kept so that switching to the proposal's account reads it again at once.
  const [content, setContent] = useState<string | null>(null);
  const preview = useMutation({
    mutationFn: (v: { content: string; merchantId?: string }) => call('proposal.preview', v),
    onSuccess: () => setDeclined(new Set()),
  });
  const apply = useMutation({
    mutationFn: (v: { token: string; changeIds: string[]; merchantId: string }) => call('proposal.apply', v),
    onSettled: () => qc.invalidateQueries(),
  });
  if (apply.isSuccess) return <Applied changed={apply.data.changed} />;
  const p = preview.data;
  const accepted = p ? p.changes.filter((c) => !c.stale && !declined.has(c.id)).map((c) => c.id) : [];
  const toggle = (id: string, on: boolean) => {
    const next = new Set(declined);
    if (on) next.delete(id);
    else next.add(id);
    setDeclined(next);
  };
  return (
    <div className="op-form">
      <label htmlFor={fileId}>{t('ops.share.file')}</label>
      <input
        id={fileId}
        type="file"
        accept=".json,application/json"
        data-testid="share-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          void file.text().then((text) => {
            setContent(text);
            preview.mutate({ content: text, ...scope });
          });
        }}
      />
      <ScopeErrorNote
        error={preview.error ?? apply.error}
        what="proposal"
        onSwitch={(merchantId) => {
          setMerchant(merchantId);
          if (content !== null) preview.mutate({ content, merchantId });
        }}
      />
      {p && (
        <section className="op-preview" data-testid="proposal-preview" aria-label={t('ops.preview')}>
          <p role="status">
            {t('ops.share.from', {
              author: p.author || t('ops.share.anonymous'),
              when: new Intl.DateTimeFormat(i18n.language === 'zh' ? 'zh-CN' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(p.createdAt)),
              count: p.changes.length,
            })}
          </p>
          <p className="hint" data-testid="proposal-account" data-merchant-id={p.merchant.id}>
            {t('scope.proposalFor', { name: i18n.language === 'zh' ? p.merchant.name : p.merchant.nameEn })}
          </p>
          {p.comment && <blockquote className="op-comment">{p.comment}</blockquote>}
          <div className="op-table-wrap">
            <table className="op-table">
              <thead>
                <tr>
                  <th scope="col">{t('ops.share.accept')}</th>
                  <th scope="col">{t('ops.col.row')}</th>
                  <th scope="col">{t('ops.col.field')}</th>
                  <th scope="col">{t('ops.col.old')}</th>
                  <th scope="col">{t('ops.col.new')}</th>
                  <th scope="col">{t('ops.share.now')}</th>
                </tr>
              </thead>
              <tbody>
                {p.changes.map((c) => (
                  <tr key={c.id} data-change-id={c.id} data-stale={c.stale} className={c.stale ? 'row-stale' : ''}>
                    <td>
                      <input
                        type="checkbox"
                        data-testid="proposal-accept"
                        aria-label={t('ops.share.acceptOne', { id: c.entityId, field: c.field })}
                        checked={!c.stale && !declined.has(c.id)}
                        disabled={c.stale}
                        onChange={(e) => toggle(c.id, e.target.checked)}
                      />
                    </td>
                    <td>
                      {t(`ops.kind.${c.entity}`)} <code>{c.entityId}</code>
                    </td>
                    <td>{c.field}</td>
                    <td className="old">{value(c.field, c.oldValue)}</td>
                    <td className="new">{value(c.field, c.newValue)}</td>
                    <td>{c.stale ? <span className="sev-warning">{t('ops.share.stale', { value: value(c.field, c.currentValue) })}</span> : t('ops.share.fresh')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button type="button" data-testid="op-apply" disabled={accepted.length === 0 || apply.isPending} onClick={() => apply.mutate({ token: p.token, changeIds: accepted, merchantId: scope.merchantId ?? p.merchant.id })}>
              {t('ops.share.apply', { count: accepted.length })}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
