import { AudiencePack, Creative, GdBooking, NegativeWord, Plan, SearchWord, Unit } from '../shared/domain/entities';
import { type AccountSummary, type EntityKind, type FeedEntry, type VersionedPlan } from '../shared/sync/wire';
import type { z } from 'zod';
import type { Queryable, SqlDatabase } from './sql';

export type FieldVersions = Record<string, number>;

/** Where each entity kind lives and how it is checked. */
export interface EntitySpec {
  kind: EntityKind;
  table: string;
  /** The parent's column and the key in the entity's data; null for plans (parent = merchant). */
  parentColumn: 'plan_id' | 'unit_id' | null;
  parentKey: 'planId' | 'unitId' | null;
  parentKind: EntityKind | null;
  schema: z.ZodObject;
  /** Fields the server owns: a client may not set them. */
  serverFields: readonly string[];
}

export const ENTITIES: Record<EntityKind, EntitySpec> = {
  plan: { kind: 'plan', table: 'plans', parentColumn: null, parentKey: null, parentKind: null, schema: Plan, serverFields: ['id', 'merchantId'] },
  unit: { kind: 'unit', table: 'units', parentColumn: 'plan_id', parentKey: 'planId', parentKind: 'plan', schema: Unit, serverFields: ['id', 'planId'] },
  creative: {
    kind: 'creative',
    table: 'creatives',
    parentColumn: 'unit_id',
    parentKey: 'unitId',
    parentKind: 'unit',
    schema: Creative,
    serverFields: ['id', 'unitId', 'reviewStatus'],
  },
  searchWord: {
    kind: 'searchWord',
    table: 'search_words',
    parentColumn: 'unit_id',
    parentKey: 'unitId',
    parentKind: 'unit',
    schema: SearchWord,
    serverFields: ['id', 'unitId'],
  },
  negativeWord: {
    kind: 'negativeWord',
    table: 'negative_words',
    parentColumn: 'unit_id',
    parentKey: 'unitId',
    parentKind: 'unit',
    schema: NegativeWord,
    serverFields: ['id', 'unitId'],
  },
  audiencePack: { kind: 'audiencePack', table: 'audience_packs', parentColumn: null, parentKey: null, parentKind: null, schema: AudiencePack, serverFields: ['id', 'merchantId'] },
  gdBooking: { kind: 'gdBooking', table: 'gd_bookings', parentColumn: 'plan_id', parentKey: 'planId', parentKind: 'plan', schema: GdBooking, serverFields: ['id', 'planId'] },
};

/** Children deleted with their parent (a tombstone each). */
export const CHILDREN: Partial<Record<EntityKind, [EntityKind, 'plan_id' | 'unit_id'][]>> = {
  plan: [
    ['unit', 'plan_id'],
    ['gdBooking', 'plan_id'],
  ],
  unit: [
    ['creative', 'unit_id'],
    ['searchWord', 'unit_id'],
    ['negativeWord', 'unit_id'],
  ],
};

export interface EntityRecord {
  data: Record<string, unknown>;
  version: number;
  fieldVersions: FieldVersions;
  deleted: boolean;
  reviewReason: string | null;
}

export interface PlanRecord {
  plan: Plan;
  version: number;
  fieldVersions: FieldVersions;
}

interface EntityRow {
  data: string;
  version: number;
  /** Not read by the feed. */
  field_versions: string;
  deleted: number;
  review_reason?: string | null;
}

function toRecord(row: EntityRow): EntityRecord {
  return {
    data: JSON.parse(row.data) as Record<string, unknown>,
    version: row.version,
    // A field never changed through sync dates from version 1 (fieldVersion() below).
    fieldVersions: JSON.parse(row.field_versions) as FieldVersions,
    deleted: row.deleted !== 0,
    reviewReason: row.review_reason ?? null,
  };
}

/** The entity version at which `field` last changed. */
export function fieldVersion(rec: EntityRecord, field: string): number {
  return rec.fieldVersions[field] ?? 1;
}

export type Principal =
  | { kind: 'merchant'; id: string }
  | { kind: 'agency'; id: string }
  | { kind: 'admin'; id: string };

interface FeedRow {
  id: string;
  merchant_id: string;
  data: string;
  version: number;
  deleted: number;
  review_reason?: string | null;
}

/** Changes after `cursor` (at most `limit`), each entity once (at its last change in the page), with its current row. */
async function feedRows(
  q: Queryable,
  merchantId: string,
  cursor: number,
  limit: number,
): Promise<{ cursor: number; hasMore: boolean; items: { entity: EntityKind; id: string; row: FeedRow }[] }> {
  const rows = await q.all<{ seq: number; entity: EntityKind; entity_id: string }>(
    'SELECT seq, entity, entity_id FROM changes WHERE merchant_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    [merchantId, cursor, limit + 1],
  );
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = new Map<string, { entity: EntityKind; id: string }>();
  for (const r of page) {
    const key = `${r.entity}:${r.entity_id}`;
    last.delete(key);
    last.set(key, { entity: r.entity, id: r.entity_id });
  }
  // One query per entity kind and 500 ids, not one per entity.
  const wanted = new Map<EntityKind, string[]>();
  for (const { entity, id } of last.values()) {
    const ids = wanted.get(entity);
    if (ids) ids.push(id);
    else wanted.set(entity, [id]);
  }
  const found = new Map<string, FeedRow>();
  for (const [kind, ids] of wanted) {
    const spec = ENTITIES[kind];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      // By primary key only (a merchant_id condition here makes SQLite scan the merchant's
      // index instead); the owner is checked on each row.
      const found1 = await q.all<FeedRow>(
        `SELECT id, merchant_id, data, version, deleted${kind === 'creative' ? ', review_reason' : ''} FROM ${spec.table} WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const row of found1) if (row.merchant_id === merchantId) found.set(`${kind}:${row.id}`, row);
    }
  }
  const items: { entity: EntityKind; id: string; row: FeedRow }[] = [];
  for (const [key, { entity, id }] of last) {
    const row = found.get(key);
    if (row) items.push({ entity, id, row });
  }
  return { cursor: page.length > 0 ? page[page.length - 1]!.seq : cursor, hasMore, items };
}

/** Queries over the server database. Every merchant-owned read and write is scoped by merchant. */
export function createStore(db: SqlDatabase) {
  const cols = (spec: EntitySpec) => `data, version, field_versions, deleted${spec.kind === 'creative' ? ', review_reason' : ''}`;

  const store = {
    db,
    async principalForTokenHash(hash: string): Promise<Principal | undefined> {
      const m = await db.get<{ merchant_id: string }>('SELECT merchant_id FROM tokens WHERE token_hash = ?', [hash]);
      if (m) return { kind: 'merchant', id: m.merchant_id };
      const p = await db.get<{ kind: 'agency' | 'admin'; principal_id: string }>(
        'SELECT kind, principal_id FROM principal_tokens WHERE token_hash = ?',
        [hash],
      );
      return p ? { kind: p.kind, id: p.principal_id } : undefined;
    },
    async agencyManages(agencyId: string, merchantId: string): Promise<boolean> {
      return (
        (await db.get('SELECT 1 AS ok FROM agency_merchants WHERE agency_id = ? AND merchant_id = ?', [agencyId, merchantId])) !==
        undefined
      );
    },
    async managedMerchants(agencyId: string): Promise<string[]> {
      const rows = await db.all<{ merchant_id: string }>('SELECT merchant_id FROM agency_merchants WHERE agency_id = ? ORDER BY merchant_id', [agencyId]);
      return rows.map((r) => r.merchant_id);
    },
    /** Account details of these merchants, in the order given. */
    async merchantSummaries(ids: readonly string[]): Promise<AccountSummary[]> {
      if (ids.length === 0) return [];
      const rows = await db.all<{ id: string; name: string; name_en: string; currency: 'CNY'; time_zone: string; balance_fen: number }>(
        `SELECT id, name, name_en, currency, time_zone, balance_fen FROM merchants WHERE id IN (${ids.map(() => '?').join(', ')})`,
        [...ids],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [{ id: r.id, name: r.name, nameEn: r.name_en, currency: r.currency, timeZone: r.time_zone, balanceFen: Number(r.balance_fen) }] : [];
      });
    },
    async listPlans(merchantId: string): Promise<VersionedPlan[]> {
      const rows = await db.all<EntityRow>('SELECT data, version, field_versions, deleted FROM plans WHERE merchant_id = ? AND deleted = 0 ORDER BY id', [
        merchantId,
      ]);
      return rows.map((r) => ({ plan: JSON.parse(r.data) as Plan, version: r.version }));
    },
    async getEntity(q: Queryable, kind: EntityKind, merchantId: string, id: string): Promise<EntityRecord | undefined> {
      const spec = ENTITIES[kind];
      const row = await q.get<EntityRow>(`SELECT ${cols(spec)} FROM ${spec.table} WHERE merchant_id = ? AND id = ?`, [merchantId, id]);
      return row ? toRecord(row) : undefined;
    },
    /** A live (not deleted) plan of this merchant. */
    async getPlan(merchantId: string, planId: string): Promise<PlanRecord | undefined> {
      const rec = await store.getEntity(db, 'plan', merchantId, planId);
      if (!rec || rec.deleted) return undefined;
      return { plan: rec.data as Plan, version: rec.version, fieldVersions: rec.fieldVersions };
    },
    /** True when any entity, of any merchant, ever had this id (ids are never reused). */
    async idTaken(q: Queryable, kind: EntityKind, id: string): Promise<boolean> {
      return (await q.get(`SELECT 1 AS ok FROM ${ENTITIES[kind].table} WHERE id = ?`, [id])) !== undefined;
    },
    async insertEntity(q: Queryable, kind: EntityKind, merchantId: string, data: Record<string, unknown>, fieldVersions: FieldVersions, at: Date): Promise<void> {
      const spec = ENTITIES[kind];
      const id = String(data.id);
      if (spec.parentColumn && spec.parentKey) {
        await q.run(`INSERT INTO ${spec.table} (id, merchant_id, ${spec.parentColumn}, data, version, field_versions) VALUES (?, ?, ?, ?, 1, ?)`, [
          id,
          merchantId,
          String(data[spec.parentKey]),
          JSON.stringify(data),
          JSON.stringify(fieldVersions),
        ]);
      } else {
        await q.run(`INSERT INTO ${spec.table} (id, merchant_id, data, version, field_versions) VALUES (?, ?, ?, 1, ?)`, [
          id,
          merchantId,
          JSON.stringify(data),
          JSON.stringify(fieldVersions),
        ]);
      }
      await store.appendChange(q, merchantId, kind, id, 1, at);
    },
    /** Writes a new version of an entity (or its tombstone) and appends it to the change feed. */
    async saveEntityVersion(q: Queryable, kind: EntityKind, merchantId: string, id: string, rec: EntityRecord, at: Date): Promise<void> {
      const spec = ENTITIES[kind];
      const review = kind === 'creative' ? ', review_reason = ?' : '';
      const params: unknown[] = [JSON.stringify(rec.data), rec.version, JSON.stringify(rec.fieldVersions), rec.deleted ? 1 : 0];
      if (kind === 'creative') params.push(rec.reviewReason);
      params.push(merchantId, id);
      const info = await q.run(
        `UPDATE ${spec.table} SET data = ?, version = ?, field_versions = ?, deleted = ?${review} WHERE merchant_id = ? AND id = ?`,
        params,
      );
      if (info.changes !== 1) throw new Error(`${kind} ${id} vanished during a write`);
      await store.appendChange(q, merchantId, kind, id, rec.version, at);
    },
    async appendChange(q: Queryable, merchantId: string, kind: EntityKind, id: string, version: number, at: Date): Promise<void> {
      await q.run('INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at) VALUES (?, ?, ?, ?, ?)', [
        merchantId,
        kind,
        id,
        version,
        at.toISOString(),
      ]);
    },
    /** Ids of live children (units of a plan, creatives and words of a unit). */
    async childIds(q: Queryable, kind: EntityKind, merchantId: string, parentColumn: string, parentId: string): Promise<string[]> {
      const rows = await q.all<{ id: string }>(`SELECT id FROM ${ENTITIES[kind].table} WHERE merchant_id = ? AND ${parentColumn} = ? AND deleted = 0`, [
        merchantId,
        parentId,
      ]);
      return rows.map((r) => r.id);
    },
    /** One page of the feed: changes after `cursor`, each entity once at its current state. */
    async feedPage(q: Queryable, merchantId: string, cursor: number, limit: number): Promise<{ cursor: number; hasMore: boolean; changes: FeedEntry[] }> {
      const page = await feedRows(q, merchantId, cursor, limit);
      const changes = page.items.map(({ entity, id, row }) => {
        const entry: FeedEntry = { entity, entityId: id, version: row.version, deleted: row.deleted !== 0, data: JSON.parse(row.data) as Record<string, unknown> };
        if (entity === 'creative') entry.reviewReason = row.review_reason ?? null;
        return entry;
      });
      return { cursor: page.cursor, hasMore: page.hasMore, changes };
    },
    /** The same page as JSON text, the stored entity JSON spliced in as is (no parse and re-serialise). */
    async feedPageJson(q: Queryable, merchantId: string, cursor: number, limit: number): Promise<string> {
      const page = await feedRows(q, merchantId, cursor, limit);
      const parts = page.items.map(
        ({ entity, id, row }) =>
          `{"entity":"${entity}","entityId":${JSON.stringify(id)},"version":${row.version},"deleted":${row.deleted !== 0},"data":${row.data}${
            entity === 'creative' ? `,"reviewReason":${JSON.stringify(row.review_reason ?? null)}` : ''
          }}`,
      );
      return `{"cursor":${page.cursor},"hasMore":${page.hasMore},"changes":[${parts.join(',')}]}`;
    },
    async maxSeq(q: Queryable = db): Promise<number> {
      return (await q.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM changes'))?.seq ?? 0;
    },
    async lastMutationId(q: Queryable, merchantId: string, clientId: string): Promise<number> {
      return (
        (await q.get<{ last_mutation_id: number }>('SELECT last_mutation_id FROM client_mutations WHERE merchant_id = ? AND client_id = ?', [
          merchantId,
          clientId,
        ]))?.last_mutation_id ?? 0
      );
    },
    /** The stored answers to this client's rejected mutations with ids in [from, to]. */
    async rejectedResults(q: Queryable, merchantId: string, clientId: string, from: number, to: number): Promise<Map<number, string>> {
      const rows = await q.all<{ mutation_id: number; result: string }>(
        'SELECT mutation_id, result FROM rejected_mutations WHERE merchant_id = ? AND client_id = ? AND mutation_id >= ? AND mutation_id <= ?',
        [merchantId, clientId, from, to],
      );
      return new Map(rows.map((r) => [Number(r.mutation_id), r.result]));
    },
    async saveRejectedResult(q: Queryable, merchantId: string, clientId: string, mutationId: number, result: string): Promise<void> {
      await q.run('INSERT INTO rejected_mutations (merchant_id, client_id, mutation_id, result) VALUES (?, ?, ?, ?)', [merchantId, clientId, mutationId, result]);
    },
    /** Answers the client has seen (it sends newer mutations only after it got them). */
    async forgetRejectedResults(q: Queryable, merchantId: string, clientId: string, upTo: number): Promise<void> {
      await q.run('DELETE FROM rejected_mutations WHERE merchant_id = ? AND client_id = ? AND mutation_id <= ?', [merchantId, clientId, upTo]);
    },
    async setLastMutationId(q: Queryable, merchantId: string, clientId: string, id: number, at: Date): Promise<void> {
      await q.run(
        `INSERT INTO client_mutations (merchant_id, client_id, last_mutation_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (merchant_id, client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at`,
        [merchantId, clientId, id, at.toISOString()],
      );
    },
  };
  return store;
}

export type Store = ReturnType<typeof createStore>;
