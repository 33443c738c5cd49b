import { TEXT_LIMITS, type Creative, REVIEWED_CREATIVE_FIELDS } from '../creative';
import type { GdBooking } from '../gdBooking';
import type { NegativeWord, SearchWord } from '../keywords';
import { PLACEMENTS_BY_SCENE } from '../placements';
import type { Plan } from '../plan';
import type { Unit } from '../unit';
import type { CheckIssue } from './types';
import { LIMITS } from './limits';
import { charCount } from '../text';
import { yuanWords } from '../money';

const yuan = yuanWords;

export interface PlanCheckContext {
  /** Today in the merchant's time zone, YYYY-MM-DD. */
  today: string;
  /** The plan has never been posted (start date must not be in the past). */
  isNew: boolean;
}

export function checkPlan(p: Plan, ctx: PlanCheckContext): CheckIssue[] {
  const out: CheckIssue[] = [];
  const add = (severity: CheckIssue['severity'], code: string, field: string, message: string) =>
    out.push({ severity, code, entity: 'plan', entityId: p.id, field, message });
  if (ctx.isNew && p.startDate < ctx.today) add('error', 'plan.start_in_past', 'startDate', `start date ${p.startDate} is in the past`);
  if (p.endDate !== null && p.endDate < p.startDate) add('error', 'plan.end_before_start', 'endDate', 'end date is before the start date');
  const tb = p.totalBudgetFen ?? null;
  if (tb !== null) {
    if (tb < LIMITS.totalBudgetFen[0] || tb > LIMITS.totalBudgetFen[1]) add('error', 'plan.total_budget_limits', 'totalBudgetFen', `total budget must be ${yuan(LIMITS.totalBudgetFen[0])}–${yuan(LIMITS.totalBudgetFen[1])}`);
    if (p.dailyBudgetFen !== null && tb < p.dailyBudgetFen) add('warning', 'plan.total_below_daily', 'totalBudgetFen', 'total budget is below one day of the daily budget');
  }
  if (p.sellMode === 'GD' && p.scene !== 'BRAND') add('error', 'plan.gd_only_brand', 'sellMode', 'sell mode GD is only for BRAND plans');
  if (p.sellMode === 'GD' && p.chargeType === 'CPC') add('error', 'plan.gd_charge', 'chargeType', 'GD is sold by CPM or CPD');
  if (!p.timeSchema.includes('1')) add('warning', 'plan.schedule_empty', 'timeSchema', 'the schedule has no hours: the plan will not deliver');
  return out;
}

export function checkUnit(u: Unit, plan: Plan | undefined): CheckIssue[] {
  const out: CheckIssue[] = [];
  const add = (severity: CheckIssue['severity'], code: string, field: string, message: string) =>
    out.push({ severity, code, entity: 'unit', entityId: u.id, field, message });
  if (u.bidType === 'OCPX' && u.targetCpaFen === null) add('error', 'unit.ocpx_needs_target_cpa', 'targetCpaFen', 'OCPX needs a target CPA');
  if (u.bidType === 'ROI' && u.targetRoi === null) add('error', 'unit.roi_needs_target_roi', 'targetRoi', 'ROI needs a target ROI');
  if (u.bidType === 'DEFAULT' && u.bidFen === null) add('error', 'unit.default_needs_bid', 'bidFen', `DEFAULT needs a ${plan?.chargeType ?? ''} price`.replace('  ', ' '));
  if (u.bidType === 'NO_BID' && plan && plan.scene !== 'INTELLIGENT') add('error', 'unit.no_bid_only_intelligent', 'bidType', 'NO_BID is only for INTELLIGENT plans');
  if (u.bidType === 'DEFAULT' && u.bidFen !== null && plan) {
    const [lo, hi] = LIMITS.bidFen[plan.chargeType];
    if (u.bidFen < lo || u.bidFen > hi) add('error', 'unit.bid_limits', 'bidFen', `${plan.chargeType} bid must be ${yuan(lo)}–${yuan(hi)}`);
  }
  if (u.targetCpaFen !== null && (u.targetCpaFen < LIMITS.targetCpaFen[0] || u.targetCpaFen > LIMITS.targetCpaFen[1]))
    add('error', 'unit.target_cpa_limits', 'targetCpaFen', `target CPA must be ${yuan(LIMITS.targetCpaFen[0])}–${yuan(LIMITS.targetCpaFen[1])}`);
  if (u.targetRoi !== null && (u.targetRoi < LIMITS.targetRoi[0] || u.targetRoi > LIMITS.targetRoi[1]))
    add('error', 'unit.target_roi_limits', 'targetRoi', `target ROI must be ${LIMITS.targetRoi[0]}–${LIMITS.targetRoi[1]}`);
  const ub = u.unitBudgetFen ?? null;
  if (ub !== null) {
    if (ub < LIMITS.unitBudgetFen[0] || ub > LIMITS.unitBudgetFen[1]) add('error', 'unit.budget_limits', 'unitBudgetFen', `unit budget must be ${yuan(LIMITS.unitBudgetFen[0])}–${yuan(LIMITS.unitBudgetFen[1])}`);
    if (plan?.dailyBudgetFen != null && ub > plan.dailyBudgetFen) add('warning', 'unit.budget_above_plan', 'unitBudgetFen', 'unit budget is above the plan daily budget');
  }
  if (u.boost?.enabled) {
    if (u.bidType !== 'OCPX') add('error', 'unit.boost_needs_ocpx', 'boost', 'boost needs bid type OCPX');
    if (u.boost.budgetFen < LIMITS.boostBudgetMinFen) add('error', 'unit.boost_budget_min', 'boost', `boost budget must be at least ${yuan(LIMITS.boostBudgetMinFen)}`);
  }
  if (plan) {
    const allowed = PLACEMENTS_BY_SCENE[plan.scene];
    for (const pl of u.placements ?? []) {
      if (!allowed.includes(pl)) add('error', 'unit.placement_not_allowed', 'placements', `placement ${pl} is not allowed in a ${plan.scene} plan`);
    }
    if ((plan.scene === 'DISPLAY' || plan.scene === 'BRAND') && (u.placements ?? []).length === 0)
      add('warning', 'unit.no_placements', 'placements', 'no placements chosen: the unit will not deliver');
    if (u.recommendedTraffic && plan.scene !== 'INTELLIGENT') add('error', 'unit.recommended_only_intelligent', 'recommendedTraffic', 'recommended traffic is only for INTELLIGENT plans');
  }
  const fc = u.frequencyCap ?? null;
  if (fc) {
    if (fc.impressions > LIMITS.frequencyCap.maxImpressions) add('error', 'unit.frequency_cap_high', 'frequencyCap', `frequency cap must be at most ${LIMITS.frequencyCap.maxImpressions} impressions`);
    if (fc.periodDays > LIMITS.frequencyCap.maxPeriodDays) add('error', 'unit.frequency_cap_period', 'frequencyCap', `frequency cap period must be at most ${LIMITS.frequencyCap.maxPeriodDays} days`);
  }
  const t = u.targeting;
  if (t) {
    const both = t.audienceInclude.filter((a) => t.audienceExclude.includes(a));
    if (both.length) add('error', 'unit.audience_both', 'targeting', `audience pack ${both[0]} is both included and excluded`);
  }
  return out;
}

/**
 * `before` is the creative as last posted (or undefined when new): editing an approved
 * creative's reviewed fields sends it back to review, which is a warning shown before posting.
 */
export function checkCreative(c: Creative, before?: Creative): CheckIssue[] {
  const out: CheckIssue[] = [];
  const add = (severity: CheckIssue['severity'], code: string, field: string, message: string) =>
    out.push({ severity, code, entity: 'creative', entityId: c.id, field, message });
  const lim = TEXT_LIMITS[c.template];
  if (charCount(c.title) > lim.title) add('error', 'creative.title_length', 'title', `title must be at most ${lim.title} characters for ${c.template}`);
  if (charCount(c.description) > lim.description)
    add('error', 'creative.description_length', 'description', `description must be at most ${lim.description} characters for ${c.template}`);
  if (c.title.trim() === '') add('error', 'creative.title_empty', 'title', 'title must not be empty');
  if (before && before.reviewStatus === 'APPROVED') {
    const changed = REVIEWED_CREATIVE_FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(c[f] ?? null));
    if (changed.length) add('warning', 'creative.back_to_review', changed[0] ?? 'title', `editing an approved creative (${changed.join(', ')}) sends it back to review`);
  }
  if (c.reviewStatus === 'REJECTED') add('warning', 'creative.rejected', 'reviewStatus', `rejected${c.reviewReason ? `: ${c.reviewReason}` : ''}`);
  return out;
}

export function checkSearchWord(w: SearchWord, plan: Plan | undefined): CheckIssue[] {
  const out: CheckIssue[] = [];
  const add = (severity: CheckIssue['severity'], code: string, field: string, message: string) =>
    out.push({ severity, code, entity: 'searchWord', entityId: w.id, field, message });
  if (plan && plan.scene !== 'SEARCH') add('error', 'word.only_search', 'unitId', 'search words are only for SEARCH plans');
  const len = charCount(w.word.trim());
  if (len === 0) add('error', 'word.empty', 'word', 'search word must not be empty');
  if (len > LIMITS.searchWordMaxChars) add('error', 'word.length', 'word', `search word must be at most ${LIMITS.searchWordMaxChars} characters`);
  if (/[\r\n\t]/.test(w.word)) add('error', 'word.line_break', 'word', 'search word must be on one line');
  if (!['EXACT', 'PHRASE', 'BROAD'].includes(w.matchType)) add('error', 'word.match_type', 'matchType', 'match type must be EXACT, PHRASE or BROAD');
  const [lo, hi] = LIMITS.searchWordBidFen;
  if (w.bidFen < lo || w.bidFen > hi) add('error', 'word.bid_limits', 'bidFen', `word bid must be ${yuan(lo)}–${yuan(hi)}`);
  return out;
}

export function checkNegativeWord(w: NegativeWord, plan: Plan | undefined): CheckIssue[] {
  const out: CheckIssue[] = [];
  if (plan && plan.scene !== 'SEARCH') out.push({ severity: 'error', code: 'negative.only_search', entity: 'negativeWord', entityId: w.id, field: 'unitId', message: 'negative words are only for SEARCH plans' });
  const len = charCount(w.word.trim());
  if (len === 0 || len > LIMITS.negativeWordMaxChars)
    out.push({ severity: 'error', code: 'negative.length', entity: 'negativeWord', entityId: w.id, field: 'word', message: `negative word must be 1–${LIMITS.negativeWordMaxChars} characters` });
  return out;
}

export function checkGdBooking(b: GdBooking, plan: Plan | undefined): CheckIssue[] {
  const out: CheckIssue[] = [];
  const add = (code: string, field: string, message: string) => out.push({ severity: 'error', code, entity: 'gdBooking', entityId: b.id, field, message });
  if (plan && (plan.scene !== 'BRAND' || plan.sellMode !== 'GD')) add('gd.only_brand_gd', 'planId', 'GD bookings are only for BRAND plans sold GD');
  if (plan && !PLACEMENTS_BY_SCENE.BRAND.includes(b.placement)) add('gd.placement', 'placement', `placement ${b.placement} cannot be booked`);
  if (plan && (b.date < plan.startDate || (plan.endDate !== null && b.date > plan.endDate))) add('gd.date_outside_plan', 'date', 'booking date is outside the plan dates');
  return out;
}
