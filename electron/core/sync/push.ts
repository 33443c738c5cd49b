import { randomUUID } from 'node:crypto';
import { EntityPushResponse } from '../../../shared/sync/wire';
import type { Settings } from '../store/settings';
import { buildPush, nextMutationId, type BuildPushDeps, type InFlightPush } from './buildPush';
import type { DuplicateToVerify } from './duplicates';
import type { ProgressListener, SyncTally } from './progress';
import { applyResult } from './pushResults';
import { CLIENT_ID_KEY, merchantKey, NEXT_MUTATION_ID_KEY } from './settingsKeys';
import { request, throwIfCancelled, type HttpDeps, type SyncConfig } from './transport';

export interface PushDeps extends BuildPushDeps, HttpDeps {
  onProgress?: ProgressListener;
}

/** This store's client id, made and stored on first use. */
export function clientIdOf(settings: Settings): string {
  return (
    settings.get(CLIENT_ID_KEY) ??
    (() => {
      const id = `cl_${randomUUID()}`;
      settings.set(CLIENT_ID_KEY, id);
      return id;
    })()
  );
}

/**
 * Pushes one merchant's outbox as entity mutations: first a stored in-flight push (same ids),
 * then whatever the outbox still holds, each batch stored before it is sent so a push whose
 * answer is lost is resent with the same ids. Returns the mutations answered `duplicate`, to be
 * checked against the pulled rows.
 */
export async function pushOutbox(config: SyncConfig, deps: PushDeps, clientId: string, summary: SyncTally): Promise<DuplicateToVerify[]> {
  const { db, journal, settings } = deps;
  const inflightKey = merchantKey(config.merchantId, 'inflight');
  const verify: DuplicateToVerify[] = [];
  for (let round = 0; round < 20; round++) {
    throwIfCancelled(deps.signal);
    const inflightText = settings.get(inflightKey);
    let push: InFlightPush;
    const resent = inflightText !== undefined;
    if (inflightText) push = JSON.parse(inflightText) as InFlightPush;
    else {
      const built = db.transaction(() => {
        journal.settleNetZero();
        const b = buildPush(clientId, config.merchantId, deps);
        if (round === 0) summary.held = b.held;
        if (b.request.mutations.length > 0) {
          // Persist before sending: if the answer is lost, the retry reuses the same mutation ids.
          settings.set(inflightKey, JSON.stringify({ request: b.request, covers: b.covers }));
          settings.set(NEXT_MUTATION_ID_KEY, String(nextMutationId(settings) + b.request.mutations.length));
        }
        return b;
      })();
      if (built.request.mutations.length === 0) break;
      push = built;
    }
    const total = push.request.mutations.length;
    deps.onProgress?.('push', 0, total);
    const res = EntityPushResponse.parse(await request(config, deps, 'POST', `/v1/accounts/${config.merchantId}/mutations`, push.request));
    const byId = new Map(push.request.mutations.map((x) => [x.id, x]));
    db.transaction(() => {
      for (const r of res.results) {
        const cover = push.covers[String(r.id)];
        const m = byId.get(r.id);
        const bases = Object.fromEntries((m?.changes ?? []).map((c) => [c.field, c.baseVersion]));
        if (cover) applyResult(deps, cover, bases, r, summary, verify);
      }
      settings.remove(inflightKey);
    })();
    summary.pushed += total;
    deps.onProgress?.('push', total, total);
    // After a resent push, post what the outbox gained since; else only a full batch (1000) has more.
    if (!resent && total < 1000) break;
  }
  return verify;
}
