import type { Creative } from '../shared/domain/entities';
import { HttpError } from './errors';
import type { Queryable } from './sql';
import type { Store } from './store';

/**
 * The creative review queue. A creative enters review (reviewStatus PENDING) when it is created
 * or any of its reviewed fields changes (shared/domain/creative.ts, REVIEWED_CREATIVE_FIELDS:
 * template, text, asset, action and tracking URLs; sync.ts). An admin approves or rejects it
 * with a reason; the outcome is a new creative version, so the client learns it on its next pull.
 *
 * The demo's auto-approve rule: a pending creative that has waited `autoApproveAfterMs` is
 * approved unless its text uses an absolute claim that China's Advertising Law forbids
 * (最/第一/国家级/顶级… "best", "No.1") or one of its links (an asset given as a URL, an H5
 * link's target, a tracking URL) is not an https URL; those wait for a human.
 */
export const FORBIDDEN_CLAIMS = ['最', '第一', '国家级', '顶级', '极致', '万能', 'best', 'no.1', 'number one'];

export function flaggedClaim(c: Pick<Creative, 'title' | 'description'>): string | undefined {
  const text = `${c.title} ${c.description}`.toLowerCase();
  return FORBIDDEN_CLAIMS.find((w) => text.includes(w));
}

const isHttps = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
};

/**
 * The first link of a creative the auto-approve rule will not pass, as "field: value": an asset
 * written as a URL (anything with a scheme; a platform asset id has none), an H5 link's target
 * or a tracking URL that is not a plain https URL.
 */
export function flaggedLink(c: Pick<Creative, 'asset' | 'action' | 'impressionTrackingUrl' | 'clickTrackingUrl'>): string | undefined {
  const links: [string, string | null | undefined][] = [
    ['asset', c.asset && /^[a-z][a-z0-9+.-]*:/i.test(c.asset.trim()) ? c.asset : null],
    ['action', c.action?.type === 'H5_LINK' ? c.action.target : null],
    ['impressionTrackingUrl', c.impressionTrackingUrl],
    ['clickTrackingUrl', c.clickTrackingUrl],
  ];
  for (const [field, v] of links) if (v !== null && v !== undefined && v !== '' && !isHttps(v)) return `${field}: ${v.slice(0, 200)}`;
  return undefined;
}

export interface PendingReview {
  merchantId: string;
  creativeId: string;
  version: number;
  template: string;
  title: string;
  description: string;
  /** The reviewed fields beyond the text, so the reviewer sees what the ad shows and links to. */
  asset: string;
  action: Creative['action'];
  impressionTrackingUrl: string | null;
  clickTrackingUrl: string | null;
  /** When it entered review (its last change). */
  since: string;
  /** An absolute claim, or a link that is not https ("field: value"), the auto-approve rule will not pass. */
  flagged: string | null;
}

interface Row {
  id: string;
  merchant_id: string;
  data: string;
  version: number;
  since: string | null;
}

export async function listPending(q: Queryable, limit = 500): Promise<PendingReview[]> {
  // The review status lives in the JSON (written by JSON.stringify: no spaces), so LIKE finds it on both databases.
  const rows = await q.all<Row>(
    `SELECT c.id, c.merchant_id, c.data, c.version,
            (SELECT max(ch.changed_at) FROM changes ch WHERE ch.merchant_id = c.merchant_id AND ch.entity = 'creative' AND ch.entity_id = c.id) AS since
       FROM creatives c
      WHERE c.deleted = 0 AND c.data LIKE '%"reviewStatus":"PENDING"%'
      ORDER BY c.id`,
  );
  const out: PendingReview[] = [];
  for (const r of rows) {
    const c = JSON.parse(r.data) as Creative;
    if (c.reviewStatus !== 'PENDING') continue;
    out.push({
      merchantId: r.merchant_id,
      creativeId: r.id,
      version: r.version,
      template: c.template,
      title: c.title,
      description: c.description,
      asset: c.asset ?? '',
      action: c.action ?? null,
      impressionTrackingUrl: c.impressionTrackingUrl ?? null,
      clickTrackingUrl: c.clickTrackingUrl ?? null,
      since: r.since ?? '1970-01-01T00:00:00.000Z',
      flagged: flaggedClaim(c) ?? flaggedLink(c) ?? null,
    });
    if (out.length >= limit) break;
  }
  return out;
}

export type Decision = { decision: 'approve' } | { decision: 'reject'; reason: string };

/** Records a review outcome as a new creative version. 404 if unknown, 409 if not pending (or not at `expectVersion`). */
export async function decideReview(
  store: Store,
  creativeId: string,
  d: Decision,
  at = new Date(),
  expectVersion?: number,
): Promise<{ merchantId: string; creativeId: string; version: number; reviewStatus: 'APPROVED' | 'REJECTED' }> {
  const owner = await store.db.get<{ merchant_id: string }>('SELECT merchant_id FROM creatives WHERE id = ? AND deleted = 0', [creativeId]);
  if (!owner) throw new HttpError(404, 'not_found', `no creative "${creativeId}"`);
  const merchantId = owner.merchant_id;
  return store.db.transaction(
    async (tx) => {
      const rec = await store.getEntity(tx, 'creative', merchantId, creativeId);
      if (!rec || rec.deleted) throw new HttpError(404, 'not_found', `no creative "${creativeId}"`);
      if (rec.data.reviewStatus !== 'PENDING') throw new HttpError(409, 'conflict', `creative "${creativeId}" is not waiting for review (it is ${String(rec.data.reviewStatus)})`);
      if (expectVersion !== undefined && rec.version !== expectVersion) throw new HttpError(409, 'conflict', `creative "${creativeId}" changed while it was being reviewed`);
      const reviewStatus = d.decision === 'approve' ? 'APPROVED' : 'REJECTED';
      const version = rec.version + 1;
      await store.saveEntityVersion(
        tx,
        'creative',
        merchantId,
        creativeId,
        {
          data: { ...rec.data, reviewStatus },
          version,
          fieldVersions: { ...rec.fieldVersions, reviewStatus: version },
          deleted: false,
          reviewReason: d.decision === 'reject' ? d.reason : null,
        },
        at,
      );
      return { merchantId, creativeId, version, reviewStatus };
    },
    { lockKey: `account:${merchantId}` },
  );
}

/** One pass of the demo's auto-approve rule; returns the ids approved. */
export async function autoApprove(store: Store, afterMs: number, now = new Date()): Promise<string[]> {
  const approved: string[] = [];
  for (const p of await listPending(store.db)) {
    if (p.flagged) continue;
    if (now.getTime() - Date.parse(p.since) < afterMs) continue;
    try {
      await decideReview(store, p.creativeId, { decision: 'approve' }, now, p.version);
      approved.push(p.creativeId);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err; // edited or decided meanwhile: next pass
    }
  }
  return approved;
}
