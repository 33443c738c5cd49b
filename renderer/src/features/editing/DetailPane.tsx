import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ContractError, type EntityState } from '../../../../shared/contract';
import { checkRow, LIMITS, type AnyEntity, type CheckIssue } from '../../../../shared/domain/checks';
import { TEXT_LIMITS, type CreativeTemplate } from '../../../../shared/domain/creative';
import { FIELD_REGISTRY } from '../../../../shared/domain/fields';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN, fenToYuanText, parseYuan } from '../../../../shared/domain/money';
import { PLACEMENTS_BY_SCENE } from '../../../../shared/domain/placements';
import type { Plan } from '../../../../shared/domain/plan';
import { EMPTY_TARGETING, type Boost, type FrequencyCap, type Targeting } from '../../../../shared/domain/unit';
import { useAccount } from '../../api/queries';
import { money } from '../../format';
import { useEntity, useUpdateEntity } from './api';
import { cellText, enumText, issueText, Marker } from './cells';
import { ACTION_TYPES, FORM_FIELDS, parseInput, toInputText, type FieldSpec } from './fields';
import { errorText } from './messages';
import { ScheduleEditor } from './ScheduleEditor';
import { TargetingEditor } from './TargetingEditor';
import { useGridBlocks } from './api';
import './DetailPane.css';

type Row = Record<string, unknown> & { id: string };
const SCALAR = new Set(['text', 'money', 'number', 'ratio', 'enum', 'date', 'bool']);
/** Fields with their own editor (not a scalar input): the registry's schedules, lists and objects. */
const complexFields = (kind: EntityKind): string[] => FIELD_REGISTRY[kind].filter((d) => d.type === 'schedule' || d.type === 'list' || d.type === 'object').map((d) => d.field);
/** Unit bid fields shown only for the bid type that uses them. */
const BID_FIELD: Record<string, string> = { DEFAULT: 'bidFen', OCPX: 'targetCpaFen', ROI: 'targetRoi' };

/** Today in the merchant's zone (the checks compare dates there). */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** The detail pane: the form of the row under the grid's cursor. */
export function DetailPane({ kind, id }: { kind: EntityKind; id: string | null }) {
  const { t } = useTranslation();
  const q = useEntity(kind, id);
  // Owned here, not by the form: saving remounts the form with the saved values, and the
  // outcome ("Saved", or the core's field errors) must survive that.
  const update = useUpdateEntity();
  if (id === null) return <p className="hint">{t('edit.detail.nothing')}</p>;
  if (q.isPending) return <p>{t('app.loading')}</p>;
  if (q.isError) return <p role="alert">{t('error.generic', { message: q.error.message })}</p>;
  const row = q.data.row as Row;
  return <EntityForm key={`${kind}:${id}:${JSON.stringify(row)}`} kind={kind} row={row} state={q.data.state} deleted={q.data.deleted} update={update} />;
}

function usePlanOf(kind: EntityKind, row: Row): Plan | undefined {
  const viaUnit = kind === 'creative' || kind === 'searchWord' || kind === 'negativeWord';
  const unit = useEntity('unit', viaUnit ? String(row.unitId) : null);
  const planId = kind === 'plan' ? null : kind === 'unit' || kind === 'gdBooking' ? String(row.planId) : viaUnit ? ((unit.data?.row.planId as string | undefined) ?? null) : null;
  const plan = useEntity('plan', planId);
  return kind === 'plan' ? (row as unknown as Plan) : (plan.data?.row as Plan | undefined);
}

/** The platform rule for a money/number field, shown beside it while typing. */
function ruleHint(t: TFunction, kind: EntityKind, field: string, plan: Plan | undefined, row: Row): string | null {
  const range = (lo: number, hi: number) => t('edit.detail.rule.range', { min: money(lo), max: money(hi) });
  if (kind === 'plan' && field === 'dailyBudgetFen') return `${range(DAILY_BUDGET_MIN_FEN, DAILY_BUDGET_MAX_FEN)} · ${t('edit.detail.rule.emptyUnlimited')}`;
  if (kind === 'plan' && field === 'totalBudgetFen') return `${range(...LIMITS.totalBudgetFen)} · ${t('edit.detail.rule.totalAtLeastDaily')}`;
  if (kind === 'unit' && field === 'bidFen' && plan) return t('edit.detail.rule.bid', { charge: plan.chargeType, range: range(...LIMITS.bidFen[plan.chargeType]) });
  if (kind === 'unit' && field === 'targetCpaFen') return range(...LIMITS.targetCpaFen);
  if (kind === 'unit' && field === 'targetRoi') return t('edit.detail.rule.roi', { min: LIMITS.targetRoi[0], max: LIMITS.targetRoi[1] });
  if (kind === 'unit' && field === 'unitBudgetFen') return `${range(...LIMITS.unitBudgetFen)} · ${t('edit.detail.rule.unitBelowPlan')}`;
  if (kind === 'searchWord' && field === 'bidFen') return range(...LIMITS.searchWordBidFen);
  if (kind === 'searchWord' && field === 'word') return t('edit.detail.rule.chars', { max: LIMITS.searchWordMaxChars });
  if (kind === 'negativeWord' && field === 'word') return t('edit.detail.rule.chars', { max: LIMITS.negativeWordMaxChars });
  if (kind === 'creative' && (field === 'title' || field === 'description')) {
    const lim = TEXT_LIMITS[row.template as CreativeTemplate];
    return lim ? t('edit.detail.rule.chars', { max: field === 'title' ? lim.title : lim.description }) : null;
  }
  return null;
}

function EntityForm({ kind, row, state, deleted, update }: { kind: EntityKind; row: Row; state: EntityState; deleted: boolean; update: ReturnType<typeof useUpdateEntity> }) {
  const { t } = useTranslation();
  const account = useAccount();
  const plan = usePlanOf(kind, row);
  const specs = useMemo(() => FORM_FIELDS[kind].filter((s) => SCALAR.has(s.type)), [kind]);
  const initial = useMemo(() => Object.fromEntries(specs.map((s) => [s.field, toInputText(s, row[s.field])])), [specs, row]);
  const [texts, setTexts] = useState<Record<string, string>>(initial);
  const [complex, setComplex] = useState<Record<string, unknown>>({});
  const mine = update.variables?.id === row.id;

  // What the typed texts mean: values where they parse, messages where they do not.
  const parsed: Record<string, unknown> = {};
  const inputErrors: Record<string, string> = {};
  for (const s of specs) {
    if (s.readOnly || texts[s.field] === initial[s.field]) continue;
    const r = parseInput(kind, s, texts[s.field] ?? '');
    if (r.ok) parsed[s.field] = r.value;
    else inputErrors[s.field] = errorText(t, r);
  }
  const draft: Row = { ...row, ...parsed, ...complex };
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...parsed, ...complex })) if (JSON.stringify(row[k] ?? null) !== JSON.stringify(v ?? null)) patch[k] = v;

  // The shared checks on the draft, as you type (user rules run in the grid and the check panel).
  const issues: CheckIssue[] = checkRow(kind, draft as unknown as AnyEntity, {
    today: todayIn(account.data?.timeZone ?? 'Asia/Shanghai'),
    isNew: state.added,
    rules: [],
    ...(plan && kind !== 'plan' ? { plan } : {}),
    ...(kind === 'creative' && !state.added ? { before: row } : {}),
  });
  const serverIssues = mine && update.error instanceof ContractError ? (update.error.issues ?? []) : [];
  const fieldIssues = (field: string) => issues.filter((i) => i.field === field);
  // Fields whose form control shows its own issues; the rest are listed under the form.
  const shownFields = new Set<string>([...specs.map((s) => s.field), ...complexFields(kind)]);

  const fieldError = (field: string) => inputErrors[field] ?? serverIssues.find((i) => i.path.endsWith(`.${field}`))?.message ?? null;

  const scalar = (s: FieldSpec): ReactNode => {
    const id = `${kind}-${s.field}`;
    const error = fieldError(s.field);
    const hint = ruleHint(t, kind, s.field, plan, draft);
    const checks = fieldIssues(s.field);
    const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : '', checks.length ? `${id}-checks` : ''].filter(Boolean).join(' ') || undefined;
    const label = `${t(`edit.field.${s.label}`)}${s.type === 'money' ? ` (${t('edit.detail.yuan')})` : ''}`;
    if (s.readOnly)
      return (
        <div className="form-field" key={s.field}>
          <span className="form-label">{t(`edit.field.${s.label}`)}</span>
          <span className="form-static" data-testid={id}>
            {cellText(t, s, row[s.field])}
          </span>
        </div>
      );
    return (
      <div className="form-field" key={s.field}>
        <label htmlFor={id}>{label}</label>
        {s.type === 'enum' || s.type === 'bool' ? (
          <select id={id} value={texts[s.field] ?? ''} disabled={deleted} onChange={(e) => setTexts({ ...texts, [s.field]: e.target.value })} aria-describedby={describedBy}>
            {(s.type === 'bool' ? ['true', 'false'] : (s.options ?? [])).map((o) => (
              <option key={o} value={o}>
                {s.type === 'bool' ? (o === 'true' ? t('edit.grid.yes') : t('edit.grid.no')) : enumText(t, s.field, o)}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            name={s.field}
            type={s.type === 'date' ? 'text' : 'text'}
            inputMode={s.type === 'money' || s.type === 'ratio' || s.type === 'number' ? 'decimal' : undefined}
            placeholder={s.type === 'date' ? 'YYYY-MM-DD' : s.nullable ? t(s.field === 'dailyBudgetFen' ? 'edit.detail.unlimitedHint' : 'edit.detail.noneHint') : undefined}
            value={texts[s.field] ?? ''}
            disabled={deleted}
            onChange={(e) => setTexts({ ...texts, [s.field]: e.target.value })}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
          />
        )}
        {hint && (
          <span id={`${id}-hint`} className="hint rule-hint">
            {hint}
          </span>
        )}
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
        {checks.length > 0 && <IssueList id={`${id}-checks`} t={t} issues={checks} />}
      </div>
    );
  };
  const specOf = (f: string) => specs.find((s) => s.field === f);
  const scalars = (fields?: string[]) => (fields ? fields.map(specOf).filter((s): s is FieldSpec => !!s) : specs).map(scalar);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(inputErrors).length || Object.keys(patch).length === 0) return;
    update.mutate({ kind, id: row.id, patch });
  };

  const setC = (field: string, v: unknown) => setComplex((c) => ({ ...c, [field]: v }));
  let body: ReactNode;
  if (kind === 'plan') {
    body = (
      <>
        {scalars()}
        <fieldset className="form-section">
          <legend>{t('edit.field.timeSchema')}</legend>
          <ScheduleEditor id="plan-schedule" value={String(draft.timeSchema)} onChange={(v) => setC('timeSchema', v)} />
          {fieldIssues('timeSchema').length > 0 && <IssueList id="plan-schedule-checks" t={t} issues={fieldIssues('timeSchema')} />}
        </fieldset>
      </>
    );
  } else if (kind === 'unit') {
    body = <UnitSections t={t} draft={draft} plan={plan} scalars={scalars} setC={setC} issuesOf={fieldIssues} />;
  } else if (kind === 'creative') {
    const action = (draft.action ?? null) as { type: string; target: string } | null;
    body = (
      <>
        {scalars()}
        <fieldset className="form-section">
          <legend>{t('edit.field.action')}</legend>
          <label htmlFor="creative-action-type">{t('edit.detail.actionType')}</label>
          <select id="creative-action-type" value={action?.type ?? ''} onChange={(e) => setC('action', e.target.value ? { type: e.target.value, target: action?.target ?? '' } : null)}>
            <option value="">{t('edit.detail.noAction')}</option>
            {ACTION_TYPES.map((a) => (
              <option key={a} value={a}>
                {enumText(t, 'action', a)}
              </option>
            ))}
          </select>
          {action && (
            <>
              <label htmlFor="creative-action-target">{t('edit.detail.actionTarget')}</label>
              <input id="creative-action-target" value={action.target} onChange={(e) => setC('action', { ...action, target: e.target.value.slice(0, 2000) })} />
            </>
          )}
        </fieldset>
      </>
    );
  } else body = scalars();

  const otherIssues = issues.filter((i) => !i.field || !shownFields.has(i.field));
  const hasInputErrors = Object.keys(inputErrors).length > 0;
  return (
    <form className="entity-form" onSubmit={onSubmit} noValidate aria-label={t('edit.detail.heading', { kind: t(`edit.kind.${kind}`) })} data-testid={`form-${kind}`}>
      <h2>
        <Marker t={t} state={state} /> {t('edit.detail.heading', { kind: t(`edit.kind.${kind}`) })}
      </h2>
      <p className="hint form-id">{row.id}</p>
      {deleted && <p className="hint" role="status">{t('edit.detail.deleted')}</p>}
      {body}
      {otherIssues.length > 0 && <IssueList id={`${kind}-other-checks`} t={t} issues={otherIssues} />}
      <div className="actions">
        <button type="submit" disabled={deleted || update.isPending || hasInputErrors || Object.keys(patch).length === 0}>
          {update.isPending && mine ? t('edit.detail.saving') : t('edit.detail.save')}
        </button>
        <button type="button" disabled={Object.keys(patch).length === 0 && !hasInputErrors} onClick={() => {
          setTexts(initial);
          setComplex({});
        }}>
          {t('edit.detail.revert')}
        </button>
        {mine && update.isSuccess && <span role="status">{t('edit.detail.saved')}</span>}
        {mine && update.isError && serverIssues.length === 0 && <span role="alert">{t('error.generic', { message: update.error.message })}</span>}
      </div>
    </form>
  );
}

function IssueList({ id, t, issues }: { id: string; t: TFunction; issues: CheckIssue[] }) {
  return (
    <ul id={id} className="issue-list" data-testid={id}>
      {issues.map((i, n) => {
        const { what, fix } = issueText(t, i);
        return (
          <li key={`${i.code}-${n}`} className={i.severity === 'error' ? 'issue-error-text' : 'issue-warning-text'}>
            <strong>{i.severity === 'error' ? t('edit.grid.error') : t('edit.grid.warning')}:</strong> {what}
            {fix && <span className="hint"> — {fix}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function UnitSections({
  t,
  draft,
  plan,
  scalars,
  setC,
  issuesOf,
}: {
  t: TFunction;
  draft: Row;
  plan: Plan | undefined;
  scalars: (fields?: string[]) => ReactNode[];
  setC: (field: string, v: unknown) => void;
  issuesOf: (field: string) => CheckIssue[];
}) {
  const bidType = String(draft.bidType);
  const boost = (draft.boost ?? null) as Boost | null;
  const cap = (draft.frequencyCap ?? null) as FrequencyCap | null;
  const placements = (draft.placements ?? []) as string[];
  const allowed = plan ? PLACEMENTS_BY_SCENE[plan.scene] : [];
  const [boostText, setBoostText] = useState(boost ? fenToYuanText(boost.budgetFen) : '');
  // The unit's own merchant's packs only (a store can hold several accounts).
  const packs = useGridBlocks({ kind: 'audiencePack', state: 'live', text: '', ...(plan ? { merchantId: plan.merchantId } : {}) }, [0]);
  const packList = (packs[0]?.data?.rows ?? []).map((r) => ({ id: String(r.row.id), name: String(r.row.name) }));
  const bidField = BID_FIELD[bidType];
  return (
    <>
      {scalars(['name', 'status'])}
      <fieldset className="form-section">
        <legend>{t('edit.detail.bidding')}</legend>
        {scalars(['bidType', ...(bidField ? [bidField] : []), 'unitBudgetFen'])}
        {bidType === 'OCPX' && (
          <div className="form-field">
            <label>
              <input type="checkbox" checked={boost?.enabled ?? false} onChange={(e) => setC('boost', { enabled: e.target.checked, budgetFen: boost?.budgetFen ?? LIMITS.boostBudgetMinFen })} />{' '}
              {t('edit.detail.boost')}
            </label>
            {boost?.enabled && (
              <>
                <label htmlFor="unit-boost-budget">
                  {t('edit.detail.boostBudget')} ({t('edit.detail.yuan')})
                </label>
                <input
                  id="unit-boost-budget"
                  inputMode="decimal"
                  value={boostText}
                  onChange={(e) => {
                    setBoostText(e.target.value);
                    const p = parseYuan(e.target.value);
                    if (p.ok) setC('boost', { enabled: true, budgetFen: p.fen });
                  }}
                />
                <span className="hint rule-hint">{t('edit.detail.rule.boost', { min: money(LIMITS.boostBudgetMinFen) })}</span>
              </>
            )}
          </div>
        )}
        {issuesOf('boost').length > 0 && <IssueList id="unit-boost-checks" t={t} issues={issuesOf('boost')} />}
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('edit.detail.delivery')}</legend>
        {plan?.scene === 'INTELLIGENT' || draft.recommendedTraffic === true ? scalars(['recommendedTraffic']) : null}
        {allowed.length > 0 && (
          <fieldset className="chips">
            <legend>{t('edit.field.placements')}</legend>
            {allowed.map((p) => (
              <label key={p}>
                <input type="checkbox" checked={placements.includes(p)} onChange={(e) => setC('placements', e.target.checked ? [...placements, p] : placements.filter((x) => x !== p))} />
                {enumText(t, 'placement', p)}
              </label>
            ))}
          </fieldset>
        )}
        {issuesOf('placements').length > 0 && <IssueList id="unit-placements-checks" t={t} issues={issuesOf('placements')} />}
        <div className="form-field inline">
          <label htmlFor="unit-cap-imp">{t('edit.detail.capImpressions')}</label>
          <input
            id="unit-cap-imp"
            type="number"
            min={1}
            value={cap?.impressions ?? ''}
            placeholder={t('edit.detail.noneHint')}
            onChange={(e) => setC('frequencyCap', e.target.value === '' ? null : { impressions: Math.max(1, Math.floor(Number(e.target.value))), periodDays: cap?.periodDays ?? 1 })}
          />
          <label htmlFor="unit-cap-days">{t('edit.detail.capDays')}</label>
          <input
            id="unit-cap-days"
            type="number"
            min={1}
            disabled={!cap}
            value={cap?.periodDays ?? ''}
            onChange={(e) => cap && setC('frequencyCap', { ...cap, periodDays: Math.max(1, Math.floor(Number(e.target.value) || 1)) })}
          />
        </div>
        {issuesOf('frequencyCap').length > 0 && <IssueList id="unit-cap-checks" t={t} issues={issuesOf('frequencyCap')} />}
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('edit.field.targeting')}</legend>
        <TargetingEditor idPrefix="unit-targeting" value={(draft.targeting as Targeting | undefined) ?? EMPTY_TARGETING} onChange={(v) => setC('targeting', v)} packs={packList} />
        {issuesOf('targeting').length > 0 && <IssueList id="unit-targeting-checks" t={t} issues={issuesOf('targeting')} />}
      </fieldset>
    </>
  );
}
