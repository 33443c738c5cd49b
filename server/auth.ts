import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../shared/sync/wire';
import { HttpError } from './errors';
import type { Principal, Store } from './store';

/** Tokens are stored and looked up by their sha256 only. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function singleHeader(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** 426 unless the request speaks this server's sync schema. */
export function checkSchemaHeader(req: FastifyRequest): void {
  const raw = singleHeader(req, SCHEMA_HEADER)?.trim();
  if (raw === String(SCHEMA_VERSION)) return;
  const theirs = raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const message =
    theirs !== undefined && theirs > SCHEMA_VERSION
      ? `This Lantern speaks sync schema ${theirs} but the server only knows schema ${SCHEMA_VERSION}: the server needs an update.`
      : `This server speaks sync schema ${SCHEMA_VERSION} but the request said ${raw ? `"${raw}"` : 'nothing'} (header ${SCHEMA_HEADER}): update Lantern to the latest version to sync.`;
  throw new HttpError(426, 'schema_mismatch', message);
}

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

/** Who the bearer token belongs to; 401 for a missing, malformed or unknown token. */
export async function authenticate(store: Store, req: FastifyRequest): Promise<Principal> {
  const header = singleHeader(req, 'authorization');
  if (!header) throw new HttpError(401, 'unauthorized', 'missing Authorization header: send "Authorization: Bearer <token>"');
  const m = BEARER.exec(header.trim());
  if (!m?.[1]) throw new HttpError(401, 'unauthorized', 'malformed Authorization header: expected "Bearer <token>"');
  const principal = await store.principalForTokenHash(hashToken(m[1]));
  if (!principal) throw new HttpError(401, 'unauthorized', 'unknown or revoked token');
  return principal;
}

/**
 * May this principal act for this merchant? A merchant token for its own account only; an
 * agency token for the merchants it manages only; an admin token for no account (admin routes).
 */
export async function mayActFor(store: Store, principal: Principal, merchantId: string): Promise<boolean> {
  switch (principal.kind) {
    case 'merchant':
      return principal.id === merchantId;
    case 'agency':
      return store.agencyManages(principal.id, merchantId);
    default:
      return false;
  }
}
