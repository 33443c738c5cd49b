import { z } from 'zod';
import type { CheckIssue } from '../domain/checks';
import { EntityId } from '../domain/entities';
import { ENTITY_KINDS, type EntityKind } from '../domain/kinds';
import type { EntityState } from './edit';

/**
 * The edit workspace's grids and tree. Sorting, filtering and paging happen in SQLite (a
 * 200,000-row account never crosses the boundary whole); the renderer asks for the window it
 * shows. Field names are checked against the entity's schema by the core (never pasted into SQL).
 */
const FieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'field must be a field name');

export const GridFieldFilter = z
  .object({
    field: FieldName,
    op: z.enum(['eq', 'contains', 'gte', 'lte']),
    value: z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]),
  })
  .strict();
export type GridFieldFilter = z.infer<typeof GridFieldFilter>;

export const GridStateFilter = z.enum(['all', 'unposted', 'added', 'edited', 'deleted', 'live']);
export type GridStateFilter = z.infer<typeof GridStateFilter>;

export const GridQuery = z
  .object({
    kind: z.enum(ENTITY_KINDS),
    /** Rows of one parent (a plan's units, a unit's words); all of the merchant's otherwise. */
    parentId: EntityId.optional(),
    merchantId: EntityId.optional(),
    sort: z.object({ field: FieldName, desc: z.boolean().default(false) }).strict().optional(),
    /** Text matched against the row's name field (substring, case-insensitive) or its id. */
    text: z.string().max(200).default(''),
    state: GridStateFilter.default('all'),
    fields: z.array(GridFieldFilter).max(10).default([]),
  })
  .strict();
export type GridQueryInput = z.input<typeof GridQuery>;

export const gridMethods = {
  'grid.query': GridQuery.extend({
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(2000).default(200),
  }).strict(),
  /** The ids matching a query in its order (select all, shift-select across unloaded rows). */
  'grid.ids': GridQuery.extend({
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(500_000).default(500_000),
  }).strict(),
  /** Tree nodes: the merchant's plans, or one plan's units, with child counts and markers. */
  'grid.tree': z.object({ merchantId: EntityId.optional(), planId: EntityId.optional() }).strict(),
};

export interface GridRow {
  row: Record<string, unknown>;
  state: EntityState;
  /** Built-in checks and user rules of this row (errors block posting). */
  issues: CheckIssue[];
}

export interface TreeNode {
  kind: Extract<EntityKind, 'plan' | 'unit'>;
  id: string;
  name: string;
  /** plan: units; unit: creatives. */
  counts: { units?: number; creatives: number; searchWords: number; negativeWords?: number };
  state: EntityState;
  errors: number;
}

export interface GridOutputs {
  'grid.query': { rows: GridRow[]; total: number; offset: number };
  'grid.ids': { ids: string[]; total: number };
  'grid.tree': { nodes: TreeNode[] };
}
