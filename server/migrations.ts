/**
 * Numbered migrations, applied in order at startup and recorded in `schema_migrations`
 * (see db.ts). Never edit or renumber one that has shipped: add a new one. The checksum of
 * each applied migration is stored, so an edited migration is caught as drift.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sync_core',
    sql: `
      CREATE TABLE merchants (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        currency    TEXT NOT NULL,
        time_zone   TEXT NOT NULL,
        balance_fen INTEGER NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;

      -- Only the sha256 of a token is stored; the plain token never touches the disk.
      CREATE TABLE tokens (
        token_hash  TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        label       TEXT NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX tokens_by_merchant ON tokens(merchant_id);

      -- data: the whole Plan as JSON. field_versions: {"name": 3, ...}, the entity version at
      -- which each syncable field last changed, so a conflict is decided per field.
      CREATE TABLE plans (
        id             TEXT PRIMARY KEY,
        merchant_id    TEXT NOT NULL REFERENCES merchants(id),
        data           TEXT NOT NULL CHECK (json_valid(data)),
        version        INTEGER NOT NULL CHECK (version > 0),
        field_versions TEXT NOT NULL CHECK (json_valid(field_versions))
      ) STRICT;
      CREATE INDEX plans_by_merchant ON plans(merchant_id);

      -- The change feed. AUTOINCREMENT: a seq is never reused, so a cursor never goes back.
      CREATE TABLE changes (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        entity      TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        version     INTEGER NOT NULL,
        changed_at  TEXT NOT NULL
      );
      CREATE INDEX changes_by_merchant ON changes(merchant_id, seq);

      -- Last applied mutation id per client, written in the same transaction as the mutations.
      -- Keyed by merchant too, so one merchant's client cannot squat another's client id.
      CREATE TABLE client_mutations (
        merchant_id      TEXT NOT NULL REFERENCES merchants(id),
        client_id        TEXT NOT NULL,
        last_mutation_id INTEGER NOT NULL,
        updated_at       TEXT NOT NULL,
        PRIMARY KEY (merchant_id, client_id)
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'account_tree',
    sql: `
      -- Units, creatives and search words as JSON rows: served by later issues, seeded now.
      CREATE TABLE units (
        id          TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        plan_id     TEXT NOT NULL REFERENCES plans(id),
        data        TEXT NOT NULL CHECK (json_valid(data)),
        version     INTEGER NOT NULL CHECK (version > 0)
      ) STRICT;
      CREATE INDEX units_by_plan ON units(plan_id);

      CREATE TABLE creatives (
        id          TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        unit_id     TEXT NOT NULL REFERENCES units(id),
        data        TEXT NOT NULL CHECK (json_valid(data)),
        version     INTEGER NOT NULL CHECK (version > 0)
      ) STRICT;
      CREATE INDEX creatives_by_unit ON creatives(unit_id);

      CREATE TABLE search_words (
        id          TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        unit_id     TEXT NOT NULL REFERENCES units(id),
        data        TEXT NOT NULL CHECK (json_valid(data)),
        version     INTEGER NOT NULL CHECK (version > 0)
      ) STRICT;
      CREATE INDEX search_words_by_unit ON search_words(unit_id);
    `,
  },
];
