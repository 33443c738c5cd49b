import { z } from 'zod';
import { EntityId, PlanPatch, type BidType, type Creative, type Merchant, type Plan, type SearchWord, type Unit } from '../domain/entities';

/** Per-row state markers, derived from the journal (never stored). */
export interface RowState {
  /** Fields changed locally since the last successful sync. */
  editedFields: string[];
  /** True while any local change of this row has not been posted. */
  unposted: boolean;
  /** Created locally and not yet posted. */
  added?: boolean;
  /** Deleted locally (tombstone) and not yet posted. */
  deleted?: boolean;
}

export interface PlanRow {
  plan: Plan;
  unitCount: number;
  creativeCount: number;
  /** Distinct bid types of the plan's units, in unit order. */
  bidTypes: BidType[];
  state: RowState;
}

export interface PlanDetail {
  plan: Plan;
  units: Unit[];
  creatives: Creative[];
  searchWords: SearchWord[];
  state: RowState;
}

export const planMethods = {
  /** The merchant named (it must be in this store), else the store's first. */
  'account.get': z.object({ merchantId: EntityId.optional() }).strict(),
  /** One merchant's plans when named, else every plan in the store. */
  'plans.list': z.object({ merchantId: EntityId.optional() }).strict(),
  'plans.get': z.object({ id: EntityId }).strict(),
  'plans.update': z.object({ id: EntityId, patch: PlanPatch }).strict(),
};

export interface PlanOutputs {
  'account.get': Merchant;
  'plans.list': PlanRow[];
  'plans.get': PlanDetail;
  'plans.update': PlanRow;
}
