import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectHit } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useMerchantScope } from '../../api/queries';
import { useAccounts, useCurrentMerchant } from '../../state/useAccounts';
import { count, money } from '../../format';
import { useUi } from '../../state/uiStore';
import { fieldLabel, valueText } from '../../ui/fieldValues';
import { compareWithForecast } from './compare';
import { DiagnosisView } from './DiagnosisView';
import './inspect.css';
import '../../ui/ink.css';

/** Forecast horizon for the comparison: one week covers every hour of the week. */
const DAYS = 7;

/**
 * Support staff's workspace: find any row of the open account — or, unticking "only", of any
 * merchant in this store — by id or name, then
 * read its whole story — local and last-synced server state, pending changes, history, review,
 * delivery against the forecast, and the engine's diagnosis — and copy all of it as JSON.
 */
export function InspectWorkspace() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<{ kind: EntityKind; id: string } | null>(null);
  // The open account's rows by default; support widens to every account in the store on purpose.
  const [onlyOpen, setOnlyOpen] = useState(true);
  const scope = useMerchantScope();
  const openAccount = useCurrentMerchant();
  const several = (useAccounts().data?.accounts ?? []).filter((a) => a.local).length > 1;
  const within = onlyOpen ? scope : {};
  const results = useQuery({
    queryKey: ['inspect', 'search', query, within.merchantId ?? '*'],
    queryFn: () => call('inspect.search', { query, limit: 100, ...within }),
    enabled: query.length > 0,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = text.trim();
    setQuery(q);
    setPicked(null);
  };
  const hits = results.data?.hits ?? [];
  // One exact match: open it straight away.
  const only = hits.length === 1 ? hits[0] : undefined;
  const current = picked ?? (only ? { kind: only.kind, id: only.id } : null);

  return (
    <div className="inspect">
      <section className="inspect-search" aria-labelledby="inspect-search-title">
        <h2 id="inspect-search-title">{t('inspect.title')}</h2>
        <form role="search" onSubmit={submit} className="inspect-form">
          <label htmlFor="inspect-query">{t('inspect.searchLabel')}</label>
          <input id="inspect-query" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('inspect.placeholder')} autoComplete="off" />
          <button type="submit">{t('inspect.search')}</button>
          {several && openAccount && (
            <label className="inspect-only">
              <input type="checkbox" data-testid="inspect-only" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} />
              {t('scope.inspectOnly', { name: i18n.language === 'zh' ? openAccount.name : openAccount.nameEn })}
            </label>
          )}
        </form>
        {results.isError && <p role="alert">{t('inspect.failed', { message: results.error.message })}</p>}
        {results.isSuccess && hits.length === 0 && <p data-testid="inspect-empty">{t('inspect.noHits', { query })}</p>}
        {hits.length > 0 && (
          <table className="inspect-hits" data-testid="inspect-hits">
            <caption className="hint">{results.data?.truncated ? t('inspect.truncated', { count: hits.length }) : t('inspect.hits', { count: hits.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inspect.col.kind')}</th>
                <th scope="col">{t('inspect.col.name')}</th>
                <th scope="col">{t('inspect.col.merchant')}</th>
                <th scope="col">{t('inspect.col.id')}</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((h) => (
                <HitRow key={`${h.kind}:${h.id}`} hit={h} selected={current?.kind === h.kind && current.id === h.id} onPick={() => setPicked({ kind: h.kind, id: h.id })} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {current && <EntityReport key={`${current.kind}:${current.id}`} kind={current.kind} id={current.id} />}
    </div>
  );
}

function HitRow({ hit, selected, onPick }: { hit: InspectHit; selected: boolean; onPick: () => void }) {
  const { t, i18n } = useTranslation();
  const merchant = hit.merchantName ? (i18n.language === 'zh' ? hit.merchantName.name : hit.merchantName.nameEn) : (hit.merchantId ?? '');
  return (
    <tr className={selected ? 'selected' : undefined} data-hit-id={hit.id} aria-selected={selected}>
      <td>{t(`sync.kind.${hit.kind}`)}</td>
      <td>
        <button type="button" className="link hit-name" onClick={onPick}>
          {hit.name}
        </button>
        {hit.path.length > 0 && <span className="hint"> · {hit.path.join(' › ')}</span>}
        {hit.unposted && <span className="badge">{t('inspect.unposted')}</span>}
        {hit.deleted && <span className="badge">{t('inspect.deleted')}</span>}
      </td>
      <td>{merchant}</td>
      <td>
        <code>{hit.id}</code>
      </td>
    </tr>
  );
}

function EntityReport({ kind, id }: { kind: EntityKind; id: string }) {
  const { t, i18n } = useTranslation();
  const focusOn = useUi((s) => s.focusOn);
  const [copied, setCopied] = useState<'ok' | 'manual' | null>(null);
  const entity = useQuery({ queryKey: ['inspect', 'entity', kind, id], queryFn: () => call('inspect.entity', { kind, id }) });
  const e = entity.data;
  const live = !!e && !e.deleted && e.planId !== null && (e.kind === 'plan' || e.unitIds.length > 0);
  // The plan's own diagnosis for a plan; for a row inside a plan, the forecast of just its unit(s).
  const scopedUnits = e && e.kind !== 'plan' ? e.unitIds : undefined;
  const forecast = useQuery({
    queryKey: ['inspect', 'forecast', e?.planId, scopedUnits?.join(',') ?? '*', DAYS],
    queryFn: () => call('forecast.run', { planId: e!.planId!, days: DAYS, ...(scopedUnits && scopedUnits.length > 0 ? { unitIds: scopedUnits } : {}) }),
    enabled: live,
    staleTime: 60_000,
  });
  const diagnosis = useQuery({
    queryKey: ['inspect', 'diagnose', e?.planId, DAYS],
    queryFn: () => call('forecast.diagnose', { planId: e!.planId!, days: DAYS }),
    enabled: live && e?.kind === 'plan',
    staleTime: 60_000,
  });

  if (entity.isError) return <p role="alert">{t('inspect.failed', { message: entity.error.message })}</p>;
  if (!e) return <p className="hint">{t('app.loading')}</p>;

  const zone = e.merchant?.timeZone ?? 'Asia/Shanghai';
  const planDiagnosis = e.kind === 'plan' ? diagnosis.data?.diagnosis : forecast.data?.perPlan.find((p) => p.planId === e.planId)?.diagnosis;
  const comparison = compareWithForecast(e.stats.hours, forecast.data ?? null, zone);
  const merchantName = e.merchant ? (i18n.language === 'zh' ? e.merchant.name : e.merchant.nameEn) : '';
  const time = (iso: string | null) => (iso ? new Intl.DateTimeFormat(i18n.language === 'zh' ? 'zh-CN' : 'en-US', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)) : '—');

  const copy = async () => {
    const report = {
      entity: e,
      diagnosis: planDiagnosis ?? null,
      diagnosisScope: e.kind === 'plan' ? 'plan' : 'units',
      deliveryVsForecast: comparison,
      forecastStartDate: forecast.data?.startDate ?? null,
      copiedAt: new Date().toISOString(),
    };
    const text = JSON.stringify(report, null, 2);
    try {
      await navigator.clipboard.writeText(text);
      setCopied('ok');
    } catch {
      setCopied('manual');
    }
    const area = document.getElementById('inspect-json') as HTMLTextAreaElement | null;
    if (area) area.value = text;
  };

  const fields = Array.from(new Set([...Object.keys(e.local ?? {}), ...Object.keys(e.server.row ?? {})]));
  const pendingFields = new Set(e.pending.map((p) => p.field));

  return (
    <article className="inspect-report" data-testid="inspect-report" data-kind={e.kind} data-id={e.id} aria-labelledby="inspect-entity-title">
      <header className="row">
        <div>
          <h2 id="inspect-entity-title">
            <span className="hint">{t(`sync.kind.${e.kind}`)}</span> {e.name}
          </h2>
          <p className="hint">
            <code>{e.id}</code> · {merchantName} {e.path.length > 0 && `· ${e.path.map((p) => p.name).join(' › ')}`} ·{' '}
            {t('inspect.lastSync', { time: time(e.lastSyncAt) })} ({zone})
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => focusOn({ kind: e.kind, id: e.id })}>
            {t('inspect.openInEditor')}
          </button>
          <button type="button" data-testid="copy-json" onClick={() => void copy()}>
            {t('inspect.copyJson')}
          </button>
        </div>
      </header>
      {copied && (
        <p role="status" data-testid="copy-status" data-copied={copied}>
          {copied === 'ok' ? t('inspect.copied') : t('inspect.copyManual')}
        </p>
      )}
      <textarea id="inspect-json" className={copied === 'manual' ? 'inspect-json' : 'inspect-json hidden'} readOnly tabIndex={copied === 'manual' ? 0 : -1} aria-label={t('inspect.jsonLabel')} data-testid="inspect-json" />

      <section aria-labelledby="inspect-diagnosis">
        <h3 id="inspect-diagnosis">{t('inspect.diagnosis.title')}</h3>
        <p className="hint">{e.kind === 'plan' ? t('inspect.diagnosis.scopePlan') : t('inspect.diagnosis.scopeUnits', { count: e.unitIds.length })}</p>
        {!live && <p>{t('inspect.diagnosis.notApplicable')}</p>}
        {live && (forecast.isError || diagnosis.isError) && <p role="alert">{t('inspect.failed', { message: (forecast.error ?? diagnosis.error)?.message ?? '' })}</p>}
        {live && !planDiagnosis && !forecast.isError && !diagnosis.isError && <p className="hint">{t('inspect.diagnosis.running')}</p>}
        {planDiagnosis && <DiagnosisView diagnosis={planDiagnosis} />}
      </section>

      <section aria-labelledby="inspect-review">
        <h3 id="inspect-review">{t('inspect.review.title')}</h3>
        {e.reviews.length === 0 ? (
          <p className="hint">{t('inspect.review.none')}</p>
        ) : (
          <ul className="inspect-reviews">
            {e.reviews.map((r) => (
              <li key={r.creativeId} data-review={r.status} data-creative-id={r.creativeId}>
                <strong className={`review-${r.status}`}>{t(`inspect.review.status.${r.status}`, { defaultValue: r.status })}</strong> {r.title}
                {r.reason && <span className="reason"> — {t('inspect.review.reason', { reason: r.reason })}</span>}
                {r.backToReview && <span className="badge">{t('inspect.review.backToReview')}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="inspect-pending">
        <h3 id="inspect-pending">{t('inspect.pending.title', { count: e.pending.length })}</h3>
        {e.server.neverSynced && <p className="hint">{e.server.localOnly ? t('inspect.server.localOnly') : t('inspect.server.never')}</p>}
        {e.conflicts.length > 0 && <p className="reason">{t('inspect.conflicts', { count: e.conflicts.length })}</p>}
        <table className="inspect-table" data-testid="inspect-state">
          <thead>
            <tr>
              <th scope="col">{t('inspect.col.field')}</th>
              <th scope="col">{t('inspect.col.local')}</th>
              <th scope="col">{t('inspect.col.server', { version: e.server.version ?? '—' })}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f} className={pendingFields.has(f) ? 'pending' : undefined} data-field={f}>
                <th scope="row">
                  {fieldLabel(t, f)}
                  {pendingFields.has(f) && <span className="marker" aria-label={t('inspect.pending.marker')}> Δ</span>}
                </th>
                <td>{valueText(t, f, e.local?.[f])}</td>
                <td>{e.server.row ? valueText(t, f, e.server.row[f]) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="inspect-stats">
        <h3 id="inspect-stats">{t('inspect.stats.title')}</h3>
        <p className="hint">
          {e.stats.range ? t('inspect.stats.range', { from: e.stats.range.from, to: e.stats.range.to }) : t('inspect.stats.never')} · {t('inspect.stats.sameHours')}
        </p>
        {comparison.length === 0 ? (
          <p data-testid="stats-empty">{t('inspect.stats.none')}</p>
        ) : (
          <table className="inspect-table" data-testid="inspect-stats-table">
            <thead>
              <tr>
                <th scope="col">{t('inspect.stats.hour')}</th>
                <th scope="col" className="num">{t('inspect.stats.impressions')}</th>
                <th scope="col" className="num">{t('inspect.stats.forecastImpressions')}</th>
                <th scope="col" className="num">{t('inspect.stats.clicks')}</th>
                <th scope="col" className="num">{t('inspect.stats.forecastClicks')}</th>
                <th scope="col" className="num">{t('inspect.stats.cost')}</th>
                <th scope="col" className="num">{t('inspect.stats.forecastCost')}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.map((c) => (
                <tr key={c.hour}>
                  <th scope="row">{c.local}</th>
                  <td className="num">{count(c.delivered.impressions)}</td>
                  <td className="num">{c.forecast ? count(c.forecast.impressions) : '—'}</td>
                  <td className="num">{count(c.delivered.clicks)}</td>
                  <td className="num">{c.forecast ? count(c.forecast.clicks) : '—'}</td>
                  <td className="num">{money(c.delivered.costFen)}</td>
                  <td className="num">{c.forecast ? money(Math.round(c.forecast.spendFen)) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="inspect-history">
        <h3 id="inspect-history">{t('inspect.history.title', { count: e.history.length })}</h3>
        {e.history.length === 0 ? (
          <p className="hint">{t('inspect.history.none')}</p>
        ) : (
          <table className="inspect-table" data-testid="inspect-history">
            <thead>
              <tr>
                <th scope="col">{t('inspect.history.at')}</th>
                <th scope="col">{t('inspect.history.what')}</th>
                <th scope="col">{t('inspect.col.field')}</th>
                <th scope="col">{t('inspect.history.old')}</th>
                <th scope="col">{t('inspect.history.new')}</th>
                <th scope="col">{t('inspect.history.posted')}</th>
              </tr>
            </thead>
            <tbody>
              {e.history.map((h) => (
                <tr key={h.journalId}>
                  <td>{time(h.at)}</td>
                  <td>
                    {t(`inspect.history.kind.${h.batchKind}`)} <span className="hint">{h.label}</span>
                  </td>
                  <td>{fieldLabel(t, h.field)}</td>
                  <td>{valueText(t, h.field, h.oldValue)}</td>
                  <td>{valueText(t, h.field, h.newValue)}</td>
                  <td>{h.postedAt ? time(h.postedAt) : t('inspect.history.unposted')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {e.historyTruncated && <p className="hint">{t('inspect.history.truncated')}</p>}
      </section>
    </article>
  );
}

