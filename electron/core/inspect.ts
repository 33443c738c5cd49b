import { ContractError } from '../../shared/contract/errors';
import type { InspectEntity, InspectHistoryRow, InspectHit, InspectMerchant, InspectPendingField, InspectReview, InspectSearchResult } from '../../shared/contract/inspect';
import type { SyncStatsRow } from '../../shared/contract/sync';
import { isReviewedCreativeField } from '../../shared/domain/creative';
import { ENTITY_KINDS, KINDS, type EntityKind } from '../../shared/domain/kinds';
import type { Db } from './store/db';
import { DELETED_FIELD, fieldSql, JSON_TABLES, ROW_FIELD, type EntityRepo, type Row } from './store/entityRepo';
import type { Journal } from './store/journal';
import { ownedByMerchantSql } from './store/ownership';
import type { Settings } from './store/settings';
import { merchantKey } from './sync/settingsKeys';
import type { SyncState } from './sync/state';

/** Kinds the backend syncs; the others stay in this store only (see sync/serverKinds.ts). */
const SERVER_KINDS: readonly EntityKind[] = ['plan', 'unit', 'creative', 'searchWord'];

export interface InspectDeps {
  db: Db;
  repo: EntityRepo;
  journal: Journal;
  state: SyncState;
  settings: Settings;
}

/** LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const prefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** SQL true when row `t` of the kind is merchant @m's, or @m is null (every merchant). */
function ownedByMerchant(kind: EntityKind): string {
  return `(@m IS NULL OR ${ownedByMerchantSql(kind, 't', '@m')})`;
}

/**
 * Support's view of the store: search across every merchant in it (or one), and one entity's whole story.
 * Read-only: nothing here writes.
 */
export function inspector(deps: InspectDeps) {
  const { db, repo, journal, state, settings } = deps;
  const searchStmts = new Map<EntityKind, ReturnType<Db['prepare']>>();
  for (const kind of ENTITY_KINDS) {
    // Rank: exact id, then id prefix, then the name containing the text; newest rows last. With
    // @m, only that merchant's rows (filtered before the limit, so other accounts never crowd it).
    const sql =
      kind === 'plan'
        ? `SELECT id, name, status = 'DELETED' AS deleted, CASE WHEN id = @q THEN 0 WHEN id LIKE @p ESCAPE '\\' THEN 1 ELSE 2 END AS rank
             FROM plans t WHERE (id = @q OR id LIKE @p ESCAPE '\\' OR name LIKE @c ESCAPE '\\') AND ${ownedByMerchant(kind)} ORDER BY rank, rowid LIMIT @limit`
        : `SELECT id, ${fieldSql(JSON_TABLES[kind], 't', KINDS[kind].nameField)} AS name, deleted, CASE WHEN id = @q THEN 0 WHEN id LIKE @p ESCAPE '\\' THEN 1 ELSE 2 END AS rank
             FROM ${JSON_TABLES[kind].table} t WHERE (id = @q OR id LIKE @p ESCAPE '\\' OR ${fieldSql(JSON_TABLES[kind], 't', KINDS[kind].nameField)} LIKE @c ESCAPE '\\')
             AND ${ownedByMerchant(kind)} ORDER BY rank, rowid LIMIT @limit`;
    searchStmts.set(kind, db.prepare(sql));
  }
  const stmts = {
    merchant: db.prepare('SELECT id, name, name_en, time_zone FROM merchants WHERE id = ?'),
    history: db.prepare(
      `SELECT j.id, j.batch_id, j.field, j.old_value, j.new_value, j.created_at, j.posted_at, b.kind, b.label
         FROM journal j LEFT JOIN batches b ON b.id = j.batch_id WHERE j.entity = ? AND j.entity_id = ? ORDER BY j.id DESC LIMIT ?`,
    ),
    stats: {
      plan: db.prepare('SELECT data FROM sync_stats WHERE plan_id = ? ORDER BY hour, creative_id').pluck(),
      unit: db.prepare('SELECT data FROM sync_stats WHERE unit_id = ? ORDER BY hour, creative_id').pluck(),
      creative: db.prepare('SELECT data FROM sync_stats WHERE creative_id = ? ORDER BY hour').pluck(),
    },
  };

  const nameOf = (kind: EntityKind, row: Row): string => String(row[KINDS[kind].nameField] ?? row.id);

  /** The chain of parents above a row, top first, and the merchant at its root. */
  function ancestry(kind: EntityKind, row: Row): { path: { kind: EntityKind; id: string; name: string }[]; merchantId: string | null } {
    const path: { kind: EntityKind; id: string; name: string }[] = [];
    let k: EntityKind = kind;
    let r: Row | undefined = row;
    for (let guard = 0; r && guard < 4; guard++) {
      const parent = KINDS[k].parent;
      const parentId = r[parent.field];
      if (typeof parentId !== 'string') return { path, merchantId: null };
      if (parent.kind === 'merchant') return { path, merchantId: parentId };
      const got = repo.get(parent.kind, parentId);
      if (!got) return { path, merchantId: null };
      path.unshift({ kind: parent.kind, id: parentId, name: nameOf(parent.kind, got.row) });
      k = parent.kind;
      r = got.row;
    }
    return { path, merchantId: null };
  }

  function merchant(id: string | null): InspectMerchant | null {
    if (!id) return null;
    const m = stmts.merchant.get(id) as { id: string; name: string; name_en: string; time_zone: string } | undefined;
    return m ? { id: m.id, name: m.name, nameEn: m.name_en, timeZone: m.time_zone } : null;
  }

  function requireRow(kind: EntityKind, id: string) {
    const got = repo.get(kind, id);
    if (!got) throw new ContractError('not_found', `no ${kind} with id "${id}" in this data folder`);
    return got;
  }

  /** Hourly stats of the row's creatives, summed per hour; ratios recomputed from the sums. */
  function statsFor(kind: EntityKind, id: string, creativeIds: string[]): SyncStatsRow[] {
    let raw: string[];
    if (kind === 'plan' || kind === 'unit' || kind === 'creative') raw = stmts.stats[kind].all(id) as string[];
    else raw = creativeIds.flatMap((c) => stmts.stats.creative.all(c) as string[]);
    const byHour = new Map<string, SyncStatsRow>();
    for (const text of raw) {
      const r = JSON.parse(text) as SyncStatsRow;
      const acc = byHour.get(r.hour);
      if (!acc) {
        byHour.set(r.hour, { ...r, ...(kind === 'creative' ? {} : { creativeId: '*' }), ...(kind === 'plan' ? { unitId: '*' } : {}) });
        continue;
      }
      acc.impressions += r.impressions;
      acc.clicks += r.clicks;
      acc.conversions += r.conversions;
      acc.costFen += r.costFen;
      acc.tradeAmountFen += r.tradeAmountFen;
      acc.tradeCount += r.tradeCount;
    }
    return [...byHour.values()]
      .sort((a, b) => a.hour.localeCompare(b.hour))
      .map((r) => ({
        ...r,
        cpmFen: r.impressions ? Math.round((r.costFen * 1000) / r.impressions) : null,
        ctr: r.impressions ? r.clicks / r.impressions : null,
        cpcFen: r.clicks ? Math.round(r.costFen / r.clicks) : null,
        cvr: r.clicks ? r.conversions / r.clicks : null,
        cpaFen: r.conversions ? Math.round(r.costFen / r.conversions) : null,
      }));
  }

  return {
    search({ query, kinds, merchantId, limit }: { query: string; kinds?: EntityKind[] | undefined; merchantId?: string | undefined; limit: number }): InspectSearchResult {
      const q = query.trim();
      const params = { q, p: prefix(q), c: contains(q), m: merchantId ?? null, limit: limit + 1 };
      type Found = { kind: EntityKind; id: string; name: string | null; deleted: number; rank: number };
      const found: Found[] = [];
      for (const kind of kinds ?? ENTITY_KINDS) {
        for (const r of searchStmts.get(kind)!.all(params) as Omit<Found, 'kind'>[]) found.push({ ...r, kind });
      }
      // Across kinds: id matches first, then the kinds in tree order (plan › unit › creative …).
      const order = (k: EntityKind) => ENTITY_KINDS.indexOf(k);
      found.sort((a, b) => a.rank - b.rank || order(a.kind) - order(b.kind));
      const page = found.slice(0, limit);
      const pending = journal.markers();
      const hits: InspectHit[] = page.map((f) => {
        const got = repo.get(f.kind, f.id);
        const { path, merchantId } = got ? ancestry(f.kind, got.row) : { path: [], merchantId: null };
        const planId = f.kind === 'plan' ? f.id : (path.find((p) => p.kind === 'plan')?.id ?? null);
        const mid = f.kind === 'plan' && got ? String(got.row.merchantId) : merchantId;
        const m = merchant(mid);
        return {
          kind: f.kind,
          id: f.id,
          name: f.name ?? f.id,
          merchantId: mid,
          merchantName: m && { name: m.name, nameEn: m.nameEn },
          planId,
          path: path.map((p) => p.name),
          deleted: Boolean(f.deleted),
          unposted: pending.has(`${f.kind}:${f.id}`),
        };
      });
      return { hits, truncated: found.length > limit };
    },

    entity({ kind, id, historyLimit }: { kind: EntityKind; id: string; historyLimit: number }): InspectEntity {
      const { row, deleted } = requireRow(kind, id);
      const local = KINDS[kind].defaults(row as never) as Row;
      const { path, merchantId } = ancestry(kind, row);
      const planId = kind === 'plan' ? id : (path.find((p) => p.kind === 'plan')?.id ?? null);

      // Pending: the net outbox of the row; the server's side of a field is the value it was last
      // pulled at (the shadow, when the server moved on under a pending edit) else where the edit began.
      const outbox = journal.outboxOf(kind, [id]);
      const added = outbox.some((o) => o.field === ROW_FIELD && o.oldValue === null);
      const pending: InspectPendingField[] = outbox
        .filter((o) => o.field !== ROW_FIELD)
        .map((o) => {
          const shadow = state.shadow(kind, id, o.field);
          return { field: o.field, serverValue: shadow ? shadow.value : o.oldValue, localValue: o.newValue };
        });
      const localOnly = !SERVER_KINDS.includes(kind);
      let serverRow: Row | null = null;
      if (!added && !localOnly) {
        serverRow = { ...local };
        for (const p of pending) if (p.field !== DELETED_FIELD) serverRow[p.field] = p.serverValue;
      }
      const neverSynced = added || localOnly;

      const history: InspectHistoryRow[] = (
        stmts.history.all(kind, id, historyLimit + 1) as {
          id: number;
          batch_id: number;
          field: string;
          old_value: string | null;
          new_value: string | null;
          created_at: string;
          posted_at: string | null;
          kind: InspectHistoryRow['batchKind'] | null;
          label: string | null;
        }[]
      ).map((r) => ({
        journalId: r.id,
        batch: r.batch_id,
        batchKind: r.kind ?? 'edit',
        label: r.label ?? 'edit',
        at: r.created_at,
        field: r.field,
        oldValue: parse(r.old_value),
        newValue: parse(r.new_value),
        postedAt: r.posted_at,
      }));
      const historyTruncated = history.length > historyLimit;
      if (historyTruncated) history.pop();

      // The units and creatives the row stands for: stats and reviews are theirs.
      let unitIds: string[] = [];
      if (kind === 'unit') unitIds = [id];
      else if (kind === 'plan') unitIds = repo.children('unit', id).map((u) => u.id);
      else if (kind === 'creative' || kind === 'searchWord' || kind === 'negativeWord') unitIds = [String(row.unitId)];
      const creatives: Row[] = kind === 'creative' ? [row] : kind === 'plan' || kind === 'unit' ? unitIds.flatMap((u) => repo.children('creative', u)) : [];
      const creativePending = new Map<string, string[]>();
      for (const o of journal.outboxOf('creative', creatives.map((c) => c.id))) {
        creativePending.set(o.entityId, [...(creativePending.get(o.entityId) ?? []), o.field]);
      }
      const reviews: InspectReview[] = creatives.map((c) => ({
        creativeId: c.id,
        title: String(c.title ?? ''),
        status: String(c.reviewStatus ?? 'PENDING'),
        reason: typeof c.reviewReason === 'string' ? c.reviewReason : null,
        backToReview: (creativePending.get(c.id) ?? []).some((f) => isReviewedCreativeField(f) || f === ROW_FIELD),
      }));

      // Sync bookkeeping is per merchant (several share a store).
      const owner = kind === 'plan' ? String(row.merchantId) : merchantId;
      const perMerchant = (name: 'statsRange' | 'lastSyncAt') => (owner ? settings.get(merchantKey(owner, name)) : undefined) ?? settings.get(`sync.${name}`);
      const statsRange = perMerchant('statsRange');
      const version = neverSynced ? null : state.entityBase(kind, id);
      return {
        kind,
        id,
        name: nameOf(kind, row),
        merchant: merchant(owner),
        planId,
        unitIds,
        path,
        local,
        deleted,
        server: { neverSynced, localOnly, version, row: serverRow },
        pending: pending.filter((p) => !same(p.serverValue, p.localValue) || p.field === DELETED_FIELD),
        conflicts: state
          .conflicts()
          .filter((c) => c.entity === kind && c.entityId === id)
          .map((c) => ({ ...c, merchantId: owner ?? '' })),
        history,
        historyTruncated,
        reviews,
        stats: {
          range: statsRange ? (JSON.parse(statsRange) as { from: string; to: string }) : null,
          hours: statsFor(kind, id, creatives.map((c) => c.id)),
        },
        lastSyncAt: perMerchant('lastSyncAt') ?? null,
      };
    },
  };
}
