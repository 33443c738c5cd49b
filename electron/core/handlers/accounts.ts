import { ContractError } from '../../../shared/contract/errors';
import type { AccountInfo, AccountsList } from '../../../shared/contract';
import type { accountMethods } from '../../../shared/contract/accounts';
import type { CoreContext } from '../context';
import { whoAmI } from '../sync/me';
import { merchantKey } from '../sync/settingsKeys';
import { perMerchantCounts } from '../sync/merchantCounts';
import type { AreaHandlers } from './types';

export function accountHandlers(ctx: CoreContext): AreaHandlers<typeof accountMethods> {
  const { journal, settings, syncStore, merchants, owners, options } = ctx;
  return {
    'accounts.list': async (): Promise<AccountsList> => {
      const counts = perMerchantCounts({ journal, owners, state: syncStore });
      const info = (id: string, name: string, nameEn: string, local: boolean, reachable: boolean | null): AccountInfo => ({
        id,
        name,
        nameEn,
        local,
        reachable,
        pending: counts.pending(id),
        conflicts: counts.conflicts(id),
        rejected: counts.rejected(id),
        lastSyncAt: settings.get(merchantKey(id, 'lastSyncAt')) ?? null,
      });
      const local = merchants.local();
      let config: { serverUrl: string; token: string } | undefined;
      try {
        config = ctx.serverConfig();
      } catch {
        config = undefined;
      }
      if (!config) return { accounts: local.map((m) => info(m.id, m.name, m.nameEn, true, null)), principal: null, server: 'not_configured' };
      try {
        // A short answer: the account list must not wait out a long retry on a flaky network.
        const me = await whoAmI(config, { ...ctx.syncHttp(), retry: { attempts: 1, baseMs: 0, maxMs: 0 }, timeoutMs: Math.min(options.syncTimeoutMs ?? 5000, 5000) });
        const reach = new Set(me.merchants);
        const accounts = local.map((m) => info(m.id, m.name, m.nameEn, true, reach.has(m.id)));
        for (const a of me.accounts ?? []) if (!local.some((m) => m.id === a.id)) accounts.push(info(a.id, a.name, a.nameEn, false, true));
        return { accounts, principal: { kind: me.kind, id: me.id }, server: 'ok' };
      } catch (err) {
        const e = err instanceof ContractError ? err : new ContractError('offline', (err as Error).message);
        const server = e.code === 'unauthorized' ? 'unauthorized' : e.code === 'update_required' ? 'update_required' : 'offline';
        return { accounts: local.map((m) => info(m.id, m.name, m.nameEn, true, null)), principal: null, server, serverMessage: e.message };
      }
    },
  };
}
