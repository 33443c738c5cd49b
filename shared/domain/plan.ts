import { z } from 'zod';
import { EntityId, Fen, IsoDate, PlanName } from './common';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN } from './money';
import { isValidTimeSchema } from './schedule';

export const SCENES = ['INTELLIGENT', 'SEARCH', 'BRAND', 'DISPLAY'] as const;
export const Scene = z.enum(SCENES);
export type Scene = z.infer<typeof Scene>;

export const PlanStatus = z.enum(['ENABLED', 'PAUSED', 'DELETED']);
export type PlanStatus = z.infer<typeof PlanStatus>;

export const ChargeType = z.enum(['CPC', 'CPM', 'CPD']);
export type ChargeType = z.infer<typeof ChargeType>;

export const SellMode = z.enum(['RTB', 'GD']);
export type SellMode = z.infer<typeof SellMode>;
export const Pacing = z.enum(['STANDARD', 'ACCELERATED']);
export type Pacing = z.infer<typeof Pacing>;

export const Objective = z.enum(['MINI_PROGRAM_VISIT', 'MEMBER_SIGNUP', 'COUPON_CLAIM', 'PURCHASE', 'LIVE_VIEW', 'FOLLOW', 'LEAD']);
export type Objective = z.infer<typeof Objective>;

export const DailyBudgetFen = z
  .number()
  .int('budget must be whole fen')
  .min(DAILY_BUDGET_MIN_FEN, `budget must be at least ${DAILY_BUDGET_MIN_FEN / 100} yuan`)
  .max(DAILY_BUDGET_MAX_FEN, `budget must be at most ${DAILY_BUDGET_MAX_FEN / 100} yuan`);

export const TimeSchemaText = z.string().refine(isValidTimeSchema, 'schedule must be 168 hours of 0/1');

/**
 * Plan (计划, campaign). Fields added after the skeleton are optional on the wire (the
 * reference backend and older clients do not send them); `planDefaults` fills them.
 */
export const Plan = z.object({
  id: EntityId,
  merchantId: EntityId,
  name: PlanName,
  scene: Scene,
  objective: Objective,
  sellMode: SellMode,
  chargeType: ChargeType,
  /** null = unlimited */
  dailyBudgetFen: DailyBudgetFen.nullable(),
  /** Optional total budget over the plan's life; null = none. */
  totalBudgetFen: Fen.nullable().optional(),
  /** Dates are in the merchant's time zone. */
  startDate: IsoDate,
  endDate: IsoDate.nullable(),
  timeSchema: TimeSchemaText,
  pacing: Pacing,
  /** ENABLED | PAUSED | DELETED; not-started and ended follow from the dates (see planPhase). */
  status: PlanStatus,
});
export type Plan = z.infer<typeof Plan>;

export function planDefaults(p: Plan): Required<Plan> {
  return { ...p, totalBudgetFen: p.totalBudgetFen ?? null };
}

/** Derived display status: not-started and ended follow from the dates in the merchant's zone. */
export function planPhase(p: Pick<Plan, 'status' | 'startDate' | 'endDate'>, today: string): 'ENABLED' | 'PAUSED' | 'DELETED' | 'NOT_STARTED' | 'ENDED' {
  if (p.status !== 'ENABLED') return p.status;
  if (today < p.startDate) return 'NOT_STARTED';
  if (p.endDate !== null && today > p.endDate) return 'ENDED';
  return 'ENABLED';
}

/** Fields of a plan a user may edit in the skeleton's editor; each has its own schema. */
export const PlanPatch = z
  .object({
    name: PlanName.optional(),
    dailyBudgetFen: DailyBudgetFen.nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type PlanPatch = z.infer<typeof PlanPatch>;
