import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type EntityPushResponse } from '../shared/sync/wire';

/** Steps of the sync and inspect journeys (sync-conflict.spec.ts, inspect.spec.ts). */

/** A contract call the way the renderer makes it (the browser-mode host's HTTP API). */
export async function contract<T>(page: Page, method: string, input: unknown): Promise<T> {
  const envelope = await page.evaluate(
    async ([m, i]) => {
      const res = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lantern-call': '1' }, body: JSON.stringify(i) });
      return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    },
    [method, input] as const,
  );
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.code}: ${envelope.error?.message}`);
  return envelope.value as T;
}

const headers = (token = DEMO_MERCHANT_TOKEN) => ({ authorization: `Bearer ${token}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION), 'content-type': 'application/json' });

/** The server's current version of one entity (from the account's feed). */
export async function serverEntity(
  backendUrl: string,
  entityId: string,
  account: { id: string; token: string } = { id: DEMO_MERCHANT_ID, token: DEMO_MERCHANT_TOKEN },
): Promise<{ version: number; data: Record<string, unknown> } | undefined> {
  let cursor = 0;
  let found: { version: number; data: Record<string, unknown> } | undefined;
  for (;;) {
    const res = await fetch(`${backendUrl}/v1/accounts/${account.id}/feed?cursor=${cursor}&limit=1000`, { headers: headers(account.token) });
    expect(res.status).toBe(200);
    const page = (await res.json()) as EntityFeed;
    for (const c of page.changes) if (c.entityId === entityId) found = { version: c.version, data: c.data };
    cursor = page.cursor;
    if (!page.hasMore) return found;
  }
}

/**
 * A second client (another Lantern of the same merchant, same token) changes fields on the
 * server through the backend's own mutations API, based on the server's current version.
 */
export async function secondClientEdits(backendUrl: string, entity: string, entityId: string, changes: Record<string, unknown>, mutationId: number): Promise<EntityPushResponse> {
  const cur = await serverEntity(backendUrl, entityId);
  if (!cur) throw new Error(`${entityId} is not on the server`);
  const body = {
    clientId: 'cl_second_desktop',
    mutations: [{ id: mutationId, entity, entityId, op: 'update', changes: Object.entries(changes).map(([field, value]) => ({ field, value, baseVersion: cur.version })) }],
  };
  const res = await fetch(`${backendUrl}/v1/accounts/${DEMO_MERCHANT_ID}/mutations`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as EntityPushResponse;
}

/** Ads served by the backend now (so it has delivery stats to report). */
export async function serveTraffic(backendUrl: string, requests: number, placement = 'home_feed'): Promise<number> {
  let shown = 0;
  for (let i = 0; i < requests; i++) {
    const res = await fetch(`${backendUrl}/v1/decide`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ placement, user: { id: `e2e-user-${i}` }, time: new Date().toISOString() }),
    });
    expect(res.status).toBe(200);
    shown += ((await res.json()) as { ads: unknown[] }).ads.length;
  }
  return shown;
}

/** Clicks Sync in the top bar and waits for the per-row result panel. */
export async function syncFromTopBar(page: Page, label = 'Sync'): Promise<void> {
  await page.getByTestId('sync-button').click();
  await expect(page.getByTestId('sync-button')).toHaveText(label, { timeout: 30_000 });
  await expect(page.getByTestId('sync-result')).toBeVisible();
}

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await testInfo.attach(name, { path: testInfo.outputPath(name), contentType: 'image/png' });
}

/** No serious or critical axe-core violations inside `selector` (this feature's part of the page). */
export async function expectAccessible(page: Page, selector: string): Promise<void> {
  const result = await new AxeBuilder({ page }).include(selector).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
