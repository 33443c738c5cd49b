import { z } from 'zod';
import { EntityId, Merchant, Plan } from '../domain/entities';

/**
 * Sync wire types between the desktop core and the reference backend (server/).
 * Every request carries `Lantern-Schema: <SCHEMA_VERSION>`; a mismatch is answered with
 * 426 and code "schema_mismatch" so an out-of-date client can say "update Lantern".
 */
export const SCHEMA_VERSION = 1;
export const SCHEMA_HEADER = 'lantern-schema';

/** `GET /v1/accounts/:id/plans[/:planId]`: a live plan and its version. */
export const VersionedPlan = z.object({ plan: Plan, version: z.number().int().positive() });
export type VersionedPlan = z.infer<typeof VersionedPlan>;

export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiError>;

// ---------------------------------------------------------------------------------------------
// Every entity versioned and mutable: `POST /mutations` and the paged change feed `GET /feed`
// with tombstones and review outcomes.

/** Every kind the desktop edits; negative words, audience packs and GD bookings joined in schema 1 additively. */
export const EntityKind = z.enum(['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking']);
export type EntityKind = z.infer<typeof EntityKind>;

export const EntityFieldChange = z
  .object({
    field: z.string().min(1).max(64),
    value: z.unknown(),
    baseVersion: z.number().int().nonnegative(),
  })
  .strict();
export type EntityFieldChange = z.infer<typeof EntityFieldChange>;

/**
 * One mutation of any entity. `op` defaults to `update`.
 * `create` carries the whole entity in `data` (its id must never have been used; a creative
 * starts in review); `delete` leaves a tombstone (children of a deleted plan or unit too).
 */
export const EntityMutation = z
  .object({
    id: z.number().int().positive(),
    entity: EntityKind,
    entityId: EntityId,
    op: z.enum(['create', 'update', 'delete']).default('update'),
    changes: z.array(EntityFieldChange).max(50).default([]),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type EntityMutation = z.infer<typeof EntityMutation>;

export const EntityPushRequest = z
  .object({
    clientId: z.string().min(8).max(64),
    mutations: z.array(EntityMutation).min(1).max(1000),
  })
  .strict();
export type EntityPushRequest = z.infer<typeof EntityPushRequest>;

export const EntityFieldConflict = z.object({ field: z.string(), serverValue: z.unknown(), serverVersion: z.number().int() });
export const EntityMutationResult = z.object({
  id: z.number().int(),
  status: z.enum(['applied', 'rejected', 'conflict', 'duplicate']),
  /** The entity's version after this mutation (when anything applied). */
  version: z.number().int().optional(),
  /**
   * `code`: the shared check that failed (shared/domain/checks), when a check rejected the whole
   * row. `entity`/`entityId`: the check failed on another row, a child the change would break
   * (a plan change): `field`, `code` and `message` are the child's.
   */
  errors: z
    .array(z.object({ field: z.string(), message: z.string(), code: z.string().optional(), entity: z.string().optional(), entityId: z.string().optional() }))
    .optional(),
  conflicts: z.array(EntityFieldConflict).optional(),
});
export type EntityMutationResult = z.infer<typeof EntityMutationResult>;
export const EntityPushResponse = z.object({ lastMutationId: z.number().int(), results: z.array(EntityMutationResult) });
export type EntityPushResponse = z.infer<typeof EntityPushResponse>;

export const FeedEntry = z.object({
  entity: EntityKind,
  entityId: EntityId,
  version: z.number().int().positive(),
  /** A tombstone: the entity was deleted at `version`; `data` is its last state. */
  deleted: z.boolean(),
  /** An object (checked shallowly: a 200k-entity download must not walk every key through zod). */
  data: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'data must be an object'),
  /** Creatives only: why review rejected it (null otherwise). */
  reviewReason: z.string().nullable().optional(),
});
export type FeedEntry = z.infer<typeof FeedEntry>;

/** `GET /v1/accounts/:id/feed?cursor=C&limit=N`: all entities, oldest change first, paged. */
export const EntityFeed = z.object({
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  changes: z.array(FeedEntry),
});
export type EntityFeed = z.infer<typeof EntityFeed>;

// ---------------------------------------------------------------------------------------------
// Serving (server issue 5): /v1/decide, /v1/events, /v1/accounts/:id/stats, /v1/market.

export const Placement = z.enum(['home_feed', 'search', 'splash', 'banner']);
export type Placement = z.infer<typeof Placement>;

export const DecideRequest = z
  .object({
    placement: Placement,
    /** What the user searched (search placement only). */
    query: z.string().min(1).max(100).optional(),
    user: z
      .object({
        id: z.string().min(1).max(64),
        age: z.number().int().min(0).max(120).optional(),
        gender: z.enum(['F', 'M', 'U']).optional(),
        city: z.string().max(64).optional(),
        interests: z.array(z.string().max(32)).max(20).optional(),
      })
      .strict(),
    /** ISO time of the request; budgets, pacing, schedules and caps follow it. */
    time: z.iso.datetime({ offset: true }),
  })
  .strict();
export type DecideRequest = z.infer<typeof DecideRequest>;

export const ShownAd = z.object({
  /** Signed: pass it back on /v1/events for the click or conversion. */
  impressionId: z.string(),
  merchantId: EntityId,
  planId: EntityId,
  unitId: EntityId,
  creativeId: EntityId,
  template: z.string(),
  title: z.string(),
  description: z.string(),
  chargeType: z.enum(['CPC', 'CPM', 'CPD']),
  /** The clearing price as eCPM (fen per 1000 impressions). */
  priceEcpmFen: z.number(),
});
export type ShownAd = z.infer<typeof ShownAd>;

export const DecideResponse = z.object({ ads: z.array(ShownAd), candidates: z.number().int() });
export type DecideResponse = z.infer<typeof DecideResponse>;

export const AdEvent = z
  .object({
    type: z.enum(['click', 'conversion']),
    impressionId: z.string().min(1).max(1000),
    time: z.iso.datetime({ offset: true }),
    /** Conversions: the order's value (trade amount). */
    orderValueFen: z.number().int().nonnegative().max(100_000_000).optional(),
  })
  .strict();
export const EventsRequest = z.object({ events: z.array(AdEvent).min(1).max(1000) }).strict();
export type EventsRequest = z.infer<typeof EventsRequest>;
export const EventsResponse = z.object({
  accepted: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), message: z.string() })),
});
export type EventsResponse = z.infer<typeof EventsResponse>;

/** One hour of one creative's delivery, with product.md's report columns (money in fen). */
export const StatsRow = z.object({
  hour: z.string(),
  planId: EntityId,
  unitId: EntityId,
  creativeId: EntityId,
  impressions: z.number().int(),
  clicks: z.number().int(),
  conversions: z.number().int(),
  costFen: z.number(),
  cpmFen: z.number().nullable(),
  ctr: z.number().nullable(),
  cpcFen: z.number().nullable(),
  cvr: z.number().nullable(),
  cpaFen: z.number().nullable(),
  tradeAmountFen: z.number().int(),
  tradeCount: z.number().int(),
});
export type StatsRow = z.infer<typeof StatsRow>;
export const StatsResponse = z.object({ from: z.string(), to: z.string(), rows: z.array(StatsRow) });
export type StatsResponse = z.infer<typeof StatsResponse>;

/** Who signed in: the user, and the principal their token acts as (what `/v1/me` answers for it). */
export const SignedInUser = z.object({
  /** The user's login name (what they typed). */
  login: z.string(),
  /** Display name. */
  name: z.string(),
  role: z.enum(['merchant', 'agency', 'admin']),
  /** The merchant or agency the user belongs to (null for an admin). */
  principalId: z.string().nullable(),
});
export type SignedInUser = z.infer<typeof SignedInUser>;

/** `GET /v1/me`: the token's principal and the accounts it may sync. */
/** One account's details: the domain's merchant as it is. */
export const AccountSummary = Merchant;
export type AccountSummary = Merchant;
export const WhoAmI = z.object({
  kind: z.enum(['merchant', 'agency', 'admin']),
  id: z.string(),
  merchants: z.array(EntityId),
  /** The same merchants with their account details (what a desktop store needs to add one). */
  accounts: z.array(AccountSummary).optional(),
  /** Set when the token is a user's session token (signed in with a password). */
  user: SignedInUser.optional(),
});
export type WhoAmI = z.infer<typeof WhoAmI>;

/**
 * Sign-in (`POST /v1/auth/login`, no bearer token): a user of the backend and their password.
 * The answer's token is a session token: it expires (`expiresAt`) and `POST /v1/auth/logout`
 * (with it as the bearer) revokes it. Wrong credentials answer 401 `invalid_credentials`
 * (never saying which of the two was wrong); too many failures for the user or from the
 * address answer 429 `too_many_attempts` with a `Retry-After` header. An expired session
 * token answers 401 `token_expired` on every route; a revoked or unknown one 401 `unauthorized`.
 */
export const LoginRequest = z
  .object({
    user: z.string().trim().min(1, 'user is required').max(200),
    password: z.string().min(1, 'password is required').max(1024),
  })
  .strict();
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  token: z.string().min(16),
  /** ISO, UTC. */
  expiresAt: z.string(),
  user: SignedInUser,
});
export type LoginResponse = z.infer<typeof LoginResponse>;
