/**
 * Numbered, named migrations, tracked in `schema_migrations`. Append only: never edit one
 * that has shipped (openStore refuses a name that drifted).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'campaign_model_and_journal',
    sql: `
      CREATE TABLE merchants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        currency TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        balance_fen INTEGER NOT NULL
      );
      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        name TEXT NOT NULL,
        scene TEXT NOT NULL,
        objective TEXT NOT NULL,
        sell_mode TEXT NOT NULL,
        charge_type TEXT NOT NULL,
        daily_budget_fen INTEGER,
        start_date TEXT NOT NULL,
        end_date TEXT,
        time_schema TEXT NOT NULL,
        pacing TEXT NOT NULL,
        status TEXT NOT NULL,
        -- the server's version of this row at the last sync: the base of the next push
        server_version INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE units (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plans(id),
        data TEXT NOT NULL
      );
      CREATE INDEX units_plan ON units(plan_id);
      CREATE TABLE creatives (
        id TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL REFERENCES units(id),
        data TEXT NOT NULL
      );
      CREATE INDEX creatives_unit ON creatives(unit_id);
      CREATE TABLE search_words (
        id TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL REFERENCES units(id),
        data TEXT NOT NULL
      );
      CREATE INDEX search_words_unit ON search_words(unit_id);
      -- Every change is rows here, written in the same transaction as the change itself.
      -- posted_at NULL = in the outbox. Row state markers are derived from this table.
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id INTEGER NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        created_at TEXT NOT NULL,
        posted_at TEXT
      );
      CREATE INDEX journal_outbox ON journal(posted_at, entity, entity_id);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'full_model_batches_rules',
    sql: `
      -- Plan fields added after the skeleton (total budget, …) as JSON beside the columns.
      ALTER TABLE plans ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
      -- Tombstones: a deleted row stays (and is journaled) until the server confirms.
      ALTER TABLE units ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE creatives ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE search_words ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE negative_words (
        id TEXT PRIMARY KEY,
        unit_id TEXT NOT NULL REFERENCES units(id),
        data TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX negative_words_unit ON negative_words(unit_id);
      CREATE TABLE audience_packs (
        id TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        data TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE gd_bookings (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plans(id),
        data TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX gd_bookings_plan ON gd_bookings(plan_id);
      -- One row per journal batch: an edit, or the undo/redo of another batch (target).
      -- Undo and redo stacks are derived from it and the journal.
      CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo')),
        target INTEGER,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX batches_target ON batches(target);
      INSERT INTO batches (id, kind, target, label, created_at)
        SELECT batch_id, 'edit', NULL, 'edit', MIN(created_at) FROM journal GROUP BY batch_id;
      CREATE INDEX journal_batch ON journal(batch_id);
      -- The outbox index: unposted rows by entity and field (replaces journal_outbox, one index
      -- fewer to write per journal row).
      CREATE INDEX journal_unposted ON journal(entity, entity_id, field, id) WHERE posted_at IS NULL;
      DROP INDEX journal_outbox;
      -- User-defined check rules, stored with the account.
      CREATE TABLE user_rules (
        id TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'sync_bases_conflicts_stats',
    sql: `
      -- The server version each field was last seen at (field '' = the whole entity). A field's
      -- base for a push is its own row, else the entity's, else 1 (the server's first version).
      CREATE TABLE sync_base (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (entity, entity_id, field)
      );
      -- Per-field conflicts from a push: the local value kept, the server's value and version.
      CREATE TABLE sync_conflicts (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        local_value TEXT,
        server_value TEXT,
        server_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id, field)
      );
      -- The server's value of a field that had pending local changes when its row was pulled
      -- (the row kept the local value): what a push answered "duplicate" is checked against.
      CREATE TABLE sync_shadow (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        version INTEGER NOT NULL,
        PRIMARY KEY (entity, entity_id, field)
      );
      -- Hourly delivery stats from the last sync (offline reports).
      CREATE TABLE sync_stats (
        hour TEXT NOT NULL,
        creative_id TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (hour, creative_id)
      );
    `,
  },
  {
    version: 4,
    name: 'sync_rejections',
    sql: `
      -- Rows the server rejected (per field; field '' = the whole row: a create or a delete), up to
      -- the journal row that was sent. Not resent until edited again (a newer journal row).
      CREATE TABLE sync_rejections (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        journal_id INTEGER NOT NULL,
        message TEXT NOT NULL,
        rejected_at TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id, field)
      );
    `,
  },
  {
    version: 5,
    name: 'set_wise_journal_entries',
    sql: `
      -- A set entry: one journal row for one field of many entities of one kind (a bulk edit,
      -- a CSV import, its undo). entity_id is '' and items holds the changes as a JSON array
      -- of [entity id, old value, new value]; n is how many changes a row stands for (1 for
      -- the one-entity rows). Undo, redo, outbox and markers read both kinds alike.
      ALTER TABLE journal ADD COLUMN items TEXT;
      ALTER TABLE journal ADD COLUMN n INTEGER NOT NULL DEFAULT 1;
      -- Posting acknowledged part of a set entry: the changes of (entity, entity_id, field) in
      -- set entries with id <= upto are posted. A set entry whose every change is posted gets
      -- posted_at, and the marks below the oldest unposted set entry are dropped.
      CREATE TABLE journal_posted (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        upto INTEGER NOT NULL,
        PRIMARY KEY (entity, entity_id, field)
      ) WITHOUT ROWID;
      CREATE INDEX journal_unposted_sets ON journal(id) WHERE posted_at IS NULL AND items IS NOT NULL;
      -- The journal one change per row (set entries expanded), for reading and checking.
      CREATE VIEW journal_rows AS
        SELECT id, batch_id, entity, entity_id, field, old_value, new_value, created_at, posted_at FROM journal WHERE items IS NULL
        UNION ALL
        SELECT j.id, j.batch_id, j.entity, e.value ->> 0, j.field, e.value -> 1, e.value -> 2, j.created_at, j.posted_at
          FROM journal j, json_each(j.items) e WHERE j.items IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'search_word_bid_column',
    sql: `
      -- A search word's bid in a column of its own (entityRepo JSON_TABLES.columns): bulk edits
      -- of 100k bids write an integer per row instead of rewriting each row's JSON.
      ALTER TABLE search_words ADD COLUMN bid_fen INTEGER;
      UPDATE search_words SET bid_fen = data ->> '$.bidFen', data = json_remove(data, '$.bidFen');
    `,
  },
  {
    version: 7,
    name: 'swapped_set_entries',
    sql: `
      -- The undo (or redo) of a set entry copies its items inside SQLite and flips swapped:
      -- swapped = 1 reads each [id, a, b] as old b, new a. Undoing a 100k-row bulk edit then
      -- neither parses nor re-serialises its items.
      ALTER TABLE journal ADD COLUMN swapped INTEGER NOT NULL DEFAULT 0;
      DROP VIEW journal_rows;
      CREATE VIEW journal_rows AS
        SELECT id, batch_id, entity, entity_id, field, old_value, new_value, created_at, posted_at FROM journal WHERE items IS NULL
        UNION ALL
        SELECT j.id, j.batch_id, j.entity, e.value ->> 0, j.field,
               CASE WHEN j.swapped THEN e.value -> 2 ELSE e.value -> 1 END,
               CASE WHEN j.swapped THEN e.value -> 1 ELSE e.value -> 2 END, j.created_at, j.posted_at
          FROM journal j, json_each(j.items) e WHERE j.items IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'user_rules_per_merchant',
    sql: `
      -- User check rules belong to one merchant's account (issue 3: "stored with the account"):
      -- the same rule id may exist in several accounts. The rules of a store from before were
      -- applied to every merchant in it, so each present merchant gets a copy.
      CREATE TABLE user_rules_by_merchant (
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (merchant_id, id)
      );
      INSERT INTO user_rules_by_merchant (merchant_id, id, data)
        SELECT m.id, r.id, r.data FROM merchants m CROSS JOIN user_rules r ORDER BY m.rowid, r.rowid;
      DROP TABLE user_rules;
      ALTER TABLE user_rules_by_merchant RENAME TO user_rules;
    `,
  },
];
