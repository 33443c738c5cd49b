import type { TFunction } from 'i18next';
import type { EntityState } from '../../../../shared/contract';
import type { CheckIssue } from '../../../../shared/domain/checks';
import { LIMITS } from '../../../../shared/domain/checks/limits';
import { formatYuan } from '../../../../shared/domain/money';
import { locale } from '../../i18n';
import { money } from '../../format';
import { plainText, type FieldSpec } from './fields';

// A grid draws thousands of cells while scrolling: one formatter per locale, not one per cell
// (same options as count in format.ts; money is formatYuan's, which keeps one per locale too).
const counts = new Map<string, Intl.NumberFormat>();
function countFormat() {
  const l = locale();
  let f = counts.get(l);
  if (!f) counts.set(l, (f = new Intl.NumberFormat(l, { maximumFractionDigits: 0 })));
  return f;
}

/** Display text of one value: money as ¥ (null = unlimited/none), enums translated. */
export function cellText(t: TFunction, spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined || value === '') {
    if (spec.type === 'money' && spec.field === 'dailyBudgetFen') return t('edit.grid.unlimited');
    return spec.type === 'money' || spec.type === 'ratio' || spec.type === 'date' ? t('edit.grid.none') : '';
  }
  switch (spec.type) {
    case 'money':
      return formatYuan(Number(value), locale());
    case 'number':
      return countFormat().format(Number(value));
    case 'enum':
      return enumText(t, spec.field, String(value));
    case 'bool':
      return value ? t('edit.grid.yes') : t('edit.grid.no');
    case 'schedule':
      return t('edit.grid.hoursPerWeek', { count: Number(plainText(spec, value)) });
    default:
      return plainText(spec, value);
  }
}

/** Enum values: the app-wide names (scene, status, bid type) first, then this feature's. */
export function enumText(t: TFunction, field: string, v: string): string {
  if (field === 'scene') return t(`scene.${v}`, { defaultValue: v });
  if (field === 'status') return t(`status.${v}`, { defaultValue: v });
  if (field === 'bidType') return t(`bidType.${v}`, { defaultValue: v });
  return t(`edit.enum.${field}.${v}`, { defaultValue: v });
}

const yuan = (fen: number) => money(fen);

/**
 * What a check issue says, in the user's language, with how to fix it. Codes of the shared
 * checks have their own messages; user rules (and any code without one) show the rule's text.
 */
export function issueText(t: TFunction, issue: CheckIssue): { what: string; fix: string } {
  const key = `edit.issue.${issue.code}`;
  const params = {
    cpcMin: yuan(LIMITS.bidFen.CPC[0]),
    cpcMax: yuan(LIMITS.bidFen.CPC[1]),
    cpaMin: yuan(LIMITS.targetCpaFen[0]),
    cpaMax: yuan(LIMITS.targetCpaFen[1]),
    roiMin: LIMITS.targetRoi[0],
    roiMax: LIMITS.targetRoi[1],
    unitMin: yuan(LIMITS.unitBudgetFen[0]),
    unitMax: yuan(LIMITS.unitBudgetFen[1]),
    totalMin: yuan(LIMITS.totalBudgetFen[0]),
    totalMax: yuan(LIMITS.totalBudgetFen[1]),
    boostMin: yuan(LIMITS.boostBudgetMinFen),
    wordMin: yuan(LIMITS.searchWordBidFen[0]),
    wordMax: yuan(LIMITS.searchWordBidFen[1]),
    wordChars: LIMITS.searchWordMaxChars,
    capMax: LIMITS.frequencyCap.maxImpressions,
    capDays: LIMITS.frequencyCap.maxPeriodDays,
    message: issue.message,
  };
  if (issue.code.startsWith('rule:')) return { what: issue.message, fix: t('edit.issue.rule_fix') };
  return { what: t(`${key}.what`, { ...params, defaultValue: issue.message }), fix: t(`${key}.fix`, { ...params, defaultValue: '' }) };
}

export function issuesTooltip(t: TFunction, issues: readonly CheckIssue[]): string {
  return issues
    .map((i) => {
      const { what, fix } = issueText(t, i);
      return `${i.severity === 'error' ? t('edit.grid.error') : t('edit.grid.warning')}: ${what}${fix ? ` — ${fix}` : ''}`;
    })
    .join('\n');
}

/** The row's state marker: + added, − deleted, Δ edited; unposted rows are bold (CSS). */
export function Marker({ t, state }: { t: TFunction; state: EntityState }) {
  if (state.deleted)
    return (
      <span className="mk mk-deleted" title={t('edit.grid.marker.deleted')} aria-label={t('edit.grid.marker.deleted')}>
        −
      </span>
    );
  if (state.added)
    return (
      <span className="mk mk-added" title={t('edit.grid.marker.added')} aria-label={t('edit.grid.marker.added')}>
        +
      </span>
    );
  if (state.editedFields.length)
    return (
      <span className="mk mk-edited" title={t('edit.grid.marker.edited')} aria-label={t('edit.grid.marker.edited')}>
        Δ
      </span>
    );
  return null;
}

/** Error and warning badges; the tooltip (hover or keyboard focus) says what is wrong and how to fix it. */
export function IssueBadges({ t, issues, rowId }: { t: TFunction; issues: readonly CheckIssue[]; rowId: string }) {
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  return (
    <>
      {errors.length > 0 && (
        <span className="issue-badge issue-error" data-tip={issuesTooltip(t, errors)} aria-label={issuesTooltip(t, errors)} role="img" data-testid={`errors-${rowId}`}>
          {errors.length}
        </span>
      )}
      {warnings.length > 0 && (
        <span className="issue-badge issue-warning" data-tip={issuesTooltip(t, warnings)} aria-label={issuesTooltip(t, warnings)} role="img" data-testid={`warnings-${rowId}`}>
          {warnings.length}
        </span>
      )}
    </>
  );
}
