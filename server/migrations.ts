/**
 * Numbered migrations, applied in order at startup and recorded in `schema_migrations`
 * (see db.ts). Never edit or renumber one that has shipped: add a new one. The checksum of
 * each applied migration is stored, so an edited migration is caught as drift.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQLite. */
  readonly sql: string;
  /** The same schema for PostgreSQL (types and autoincrement differ; the queries do not). */
  readonly postgres: string;
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
    postgres: `
      CREATE TABLE merchants (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        currency    TEXT NOT NULL,
        time_zone   TEXT NOT NULL,
        balance_fen BIGINT NOT NULL,
        created_at  TEXT NOT NULL
      );
      CREATE TABLE tokens (
        token_hash  TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        label       TEXT NOT NULL,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX tokens_by_merchant ON tokens(merchant_id);
      CREATE TABLE plans (
        id             TEXT PRIMARY KEY,
        merchant_id    TEXT NOT NULL REFERENCES merchants(id),
        data           TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
        version        INTEGER NOT NULL CHECK (version > 0),
        field_versions TEXT NOT NULL CHECK (field_versions::jsonb IS NOT NULL)
      );
      CREATE INDEX plans_by_merchant ON plans(merchant_id);
      CREATE TABLE changes (
        seq         BIGSERIAL PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        entity      TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        version     INTEGER NOT NULL,
        changed_at  TEXT NOT NULL
      );
      CREATE INDEX changes_by_merchant ON changes(merchant_id, seq);
      CREATE TABLE client_mutations (
        merchant_id      TEXT NOT NULL REFERENCES merchants(id),
        client_id        TEXT NOT NULL,
        last_mutation_id BIGINT NOT NULL,
        updated_at       TEXT NOT NULL,
        PRIMARY KEY (merchant_id, client_id)
      );
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
    postgres: `
      CREATE TABLE units (
        id          TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        plan_id     TEXT NOT NULL REFERENCES plans(id),
        data        TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
        version     INTEGER NOT NULL CHECK (version > 0)
      );
      CREATE INDEX units_by_plan ON units(plan_id);
      CREATE TABLE creatives (
        id          TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        unit_id     TEXT NOT NULL REFERENCES units(id),
        data        TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
        version     INTEGER NOT NULL CHECK (version > 0)
      );
      CREATE INDEX creatives_by_unit ON creatives(unit_id);
      CREATE TABLE search_words (
        id          TEXT PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        unit_id     TEXT NOT NULL REFERENCES units(id),
        data        TEXT NOT NULL CHECK (data::jsonb IS NOT NULL),
        version     INTEGER NOT NULL CHECK (version > 0)
      );
      CREATE INDEX search_words_by_unit ON search_words(unit_id);
    `,
  },
  {
    version: 3,
    name: 'tenancy_entities_review',
    sql: `${m3('INTEGER', ' STRICT')}`,
    postgres: `${m3('BIGINT', '')}`,
  },
  {
    version: 4,
    name: 'negative_words_audiences_gd',
    sql: m4(' STRICT', 'json_valid(data)'),
    postgres: m4('', 'data::jsonb IS NOT NULL'),
  },
  {
    version: 5,
    name: 'rejected_mutation_results',
    sql: m5('INTEGER', ' STRICT'),
    postgres: m5('BIGINT', ''),
  },
];

/**
 * 5: the answer to each rejected mutation, kept until the client has seen it. A push retried
 * because its answer was lost must answer a rejected mutation "rejected" again, not "duplicate":
 * a client takes a duplicate for applied, and would think a rejected create posted.
 */
function m5(bigint: string, strict: string): string {
  return `
      CREATE TABLE rejected_mutations (
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        client_id   TEXT NOT NULL,
        mutation_id ${bigint} NOT NULL,
        result      TEXT NOT NULL,
        PRIMARY KEY (merchant_id, client_id, mutation_id)
      )${strict};
  `;
}

/**
 * 4: the kinds the desktop edits that the backend did not keep yet: negative words (of a unit),
 * audience packs (of the merchant) and GD bookings (of a plan). Versioned per field with
 * tombstones, like the others, and in the change feed.
 */
function m4(strict: string, jsonCheck: string): string {
  const table = (name: string, parent: string) => `
      CREATE TABLE ${name} (
        id             TEXT PRIMARY KEY,
        merchant_id    TEXT NOT NULL REFERENCES merchants(id),
        ${parent}
        data           TEXT NOT NULL CHECK (${jsonCheck}),
        version        INTEGER NOT NULL CHECK (version > 0),
        field_versions TEXT NOT NULL DEFAULT '{}',
        deleted        INTEGER NOT NULL DEFAULT 0
      )${strict};
      CREATE INDEX ${name}_by_merchant ON ${name}(merchant_id);`;
  return `
      ${table('negative_words', 'unit_id TEXT NOT NULL REFERENCES units(id),')}
      CREATE INDEX negative_words_by_unit ON negative_words(unit_id);
      ${table('audience_packs', '')}
      ${table('gd_bookings', 'plan_id TEXT NOT NULL REFERENCES plans(id),')}
      CREATE INDEX gd_bookings_by_plan ON gd_bookings(plan_id);
  `;
}


/**
 * 3: agencies and admin tokens; every entity versioned per field, with tombstones (a deleted
 * row stays, so its id is never reused); the review outcome of a creative; the existing units,
 * creatives and search words enter the change feed. Portable apart from integer width and STRICT.
 */
function m3(bigint: string, strict: string): string {
  const entity = (t: string) => `
      ALTER TABLE ${t} ADD COLUMN field_versions TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE ${t} ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX ${t}_by_merchant ON ${t}(merchant_id);`;
  return `
      ALTER TABLE plans ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      ${entity('units')}
      ${entity('creatives')}
      ${entity('search_words')}
      ALTER TABLE creatives ADD COLUMN review_reason TEXT;

      CREATE TABLE agencies (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      )${strict};
      CREATE TABLE agency_merchants (
        agency_id   TEXT NOT NULL REFERENCES agencies(id),
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        PRIMARY KEY (agency_id, merchant_id)
      )${strict};
      -- Tokens of principals other than a merchant: an agency (acts for its merchants) or an admin.
      CREATE TABLE principal_tokens (
        token_hash   TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('agency', 'admin')),
        principal_id TEXT NOT NULL,
        label        TEXT NOT NULL,
        created_at   TEXT NOT NULL
      )${strict};

      -- Delivery, one row per creative and hour (UTC, "YYYY-MM-DDTHH"): what /v1/decide served.
      CREATE TABLE delivery_hourly (
        merchant_id  TEXT NOT NULL REFERENCES merchants(id),
        hour         TEXT NOT NULL,
        plan_id      TEXT NOT NULL,
        unit_id      TEXT NOT NULL,
        creative_id  TEXT NOT NULL,
        impressions  ${bigint} NOT NULL DEFAULT 0,
        clicks       ${bigint} NOT NULL DEFAULT 0,
        conversions  ${bigint} NOT NULL DEFAULT 0,
        cost_milli_fen ${bigint} NOT NULL DEFAULT 0,
        gmv_fen      ${bigint} NOT NULL DEFAULT 0,
        PRIMARY KEY (merchant_id, hour, creative_id)
      )${strict};

      INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at)
        SELECT merchant_id, 'unit', id, version, '1970-01-01T00:00:00.000Z' FROM units;
      INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at)
        SELECT merchant_id, 'creative', id, version, '1970-01-01T00:00:00.000Z' FROM creatives;
      INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at)
        SELECT merchant_id, 'searchWord', id, version, '1970-01-01T00:00:00.000Z' FROM search_words;
  `;
}
