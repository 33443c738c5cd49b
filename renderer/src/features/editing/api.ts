import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GridOutputs, GridQueryInput } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useAccount } from '../../api/queries';
import { useUi } from '../../state/uiStore';

/** Rows are fetched in blocks of this many as the grid scrolls to them. */
export const BLOCK = 200;

export type GridSpec = Omit<GridQueryInput, 'kind'> & { kind: EntityKind };

/** The blocks of a grid query that the viewport shows (each one request, cached by react-query). */
/** One block of a grid query, as useGridBlocks asks for it (and the start-up prefetch, below). */
export const gridBlockQuery = (spec: GridSpec, b: number) => ({
  queryKey: ['grid', spec, b] as const,
  queryFn: () => call('grid.query', { ...spec, offset: b * BLOCK, limit: BLOCK }),
  staleTime: 10_000,
});

/** The edit workspace's first grid: the merchant's plans, unsorted and unfiltered (DataGrid's initial state). */
export const firstGridSpec = (merchantId: string): GridSpec => ({ kind: 'plan', merchantId, text: '', state: 'all' });

export function useGridBlocks(spec: GridSpec, blocks: number[]) {
  // A grid of top-level rows waits for its merchant: on first launch it is known one local call
  // later (account.get), and asking unscoped meanwhile fetched and drew every account's plans,
  // then fetched and drew them again for the merchant (a second render as the user clicks).
  const scoped = spec.parentId !== undefined || spec.merchantId !== undefined;
  return useQueries({
    queries: blocks.map((b) => ({ ...gridBlockQuery(spec, b), enabled: scoped })),
  }) as { data?: GridOutputs['grid.query']; isError: boolean; error: Error | null }[];
}

export const useTreeNodes = (merchantId: string | undefined, planId?: string, enabled = true) =>
  useQuery({
    queryKey: ['grid', 'tree', merchantId ?? '', planId ?? ''],
    queryFn: () => call('grid.tree', { ...(merchantId ? { merchantId } : {}), ...(planId ? { planId } : {}) }),
    enabled,
  });

export const useEntity = (kind: EntityKind, id: string | null) =>
  useQuery({
    queryKey: ['entity', kind, id ?? ''],
    queryFn: () => call('entities.get', { kind, id: id ?? '' }),
    enabled: id !== null,
  });

/** Every edit is one contract call and one undo step; host events refresh what shows it. */
export function useUpdateEntity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: EntityKind; id: string; patch: Record<string, unknown> }) => call('entities.update', v),
    onSuccess: () => qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'forecast' }),
  });
}

export function useDeleteEntities() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: EntityKind; ids: string[] }) => call('entities.delete', v),
    onSuccess: () => qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'forecast' }),
  });
}

/** The merchant being edited: the account switcher's choice, else the account's own. */
export function useMerchantId(): string | undefined {
  const chosen = useUi((s) => s.merchantId);
  const account = useAccount();
  return chosen ?? account.data?.id;
}
