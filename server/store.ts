import type { Plan } from '../shared/domain/entities';
import { SyncablePlanField, type VersionedPlan } from '../shared/sync/wire';
import type { Db } from './db';

export type FieldVersions = Record<SyncablePlanField, number>;

export interface PlanRecord {
  plan: Plan;
  version: number;
  fieldVersions: FieldVersions;
}

interface PlanRow {
  data: string;
  version: number;
  field_versions: string;
}

/** Every syncable field at one version: a new plan's fields all date from its creation. */
export function uniformFieldVersions(version: number): FieldVersions {
  const out = {} as FieldVersions;
  for (const f of SyncablePlanField.options) out[f] = version;
  return out;
}

function toRecord(row: PlanRow): PlanRecord {
  const stored = JSON.parse(row.field_versions) as Partial<FieldVersions>;
  // A field added to the syncable set later has never changed through sync: it dates from version 1.
  const fieldVersions = { ...uniformFieldVersions(1), ...stored };
  return { plan: JSON.parse(row.data) as Plan, version: row.version, fieldVersions };
}

/** Prepared statements over the server database; every merchant-owned read is scoped by merchant. */
export function createStore(db: Db) {
  const s = {
    merchantForToken: db.prepare<[string], { merchant_id: string }>('SELECT merchant_id FROM tokens WHERE token_hash = ?'),
    merchantCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM merchants'),
    listPlans: db.prepare<[string], PlanRow>('SELECT data, version, field_versions FROM plans WHERE merchant_id = ? ORDER BY rowid'),
    getPlan: db.prepare<[string, string], PlanRow>(
      'SELECT data, version, field_versions FROM plans WHERE merchant_id = ? AND id = ?',
    ),
    updatePlan: db.prepare<[string, number, string, string, string]>(
      'UPDATE plans SET data = ?, version = ?, field_versions = ? WHERE merchant_id = ? AND id = ?',
    ),
    appendChange: db.prepare<[string, string, string, number, string]>(
      'INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at) VALUES (?, ?, ?, ?, ?)',
    ),
    changedSince: db.prepare<[string, number], { entity_id: string; seq: number }>(
      `SELECT entity_id, max(seq) AS seq FROM changes
        WHERE merchant_id = ? AND seq > ? AND entity = 'plan'
        GROUP BY entity_id ORDER BY seq`,
    ),
    maxSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM changes'),
    lastMutation: db.prepare<[string, string], { last_mutation_id: number }>(
      'SELECT last_mutation_id FROM client_mutations WHERE merchant_id = ? AND client_id = ?',
    ),
    setLastMutation: db.prepare<[string, string, number, string]>(
      `INSERT INTO client_mutations (merchant_id, client_id, last_mutation_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (merchant_id, client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at`,
    ),
  };

  return {
    db,
    merchantForTokenHash(hash: string): string | undefined {
      return s.merchantForToken.get(hash)?.merchant_id;
    },
    isEmpty(): boolean {
      return (s.merchantCount.get()?.n ?? 0) === 0;
    },
    listPlans(merchantId: string): VersionedPlan[] {
      return s.listPlans.all(merchantId).map((row) => {
        const r = toRecord(row);
        return { plan: r.plan, version: r.version };
      });
    },
    getPlan(merchantId: string, planId: string): PlanRecord | undefined {
      const row = s.getPlan.get(merchantId, planId);
      return row ? toRecord(row) : undefined;
    },
    /** Writes a new version of a plan and appends it to the change feed (call inside a transaction). */
    savePlanVersion(merchantId: string, rec: PlanRecord, at: Date): void {
      const info = s.updatePlan.run(JSON.stringify(rec.plan), rec.version, JSON.stringify(rec.fieldVersions), merchantId, rec.plan.id);
      if (info.changes !== 1) throw new Error(`plan ${rec.plan.id} vanished during a write`);
      s.appendChange.run(merchantId, 'plan', rec.plan.id, rec.version, at.toISOString());
    },
    /** Newest change per plan after `cursor`, oldest first, with the seq of that change. */
    plansChangedSince(merchantId: string, cursor: number): { entityId: string; seq: number }[] {
      return s.changedSince.all(merchantId, cursor).map((r) => ({ entityId: r.entity_id, seq: r.seq }));
    },
    maxSeq(): number {
      return s.maxSeq.get()?.seq ?? 0;
    },
    lastMutationId(merchantId: string, clientId: string): number {
      return s.lastMutation.get(merchantId, clientId)?.last_mutation_id ?? 0;
    },
    setLastMutationId(merchantId: string, clientId: string, id: number, at: Date): void {
      s.setLastMutation.run(merchantId, clientId, id, at.toISOString());
    },
  };
}

export type Store = ReturnType<typeof createStore>;
