import { z } from 'zod';

/**
 * Several merchants in one desktop store (an agency token manages several). `accounts.list`
 * answers from the store and, when a server is configured, from the server's `/v1/me`: the
 * merchants downloaded here plus those the saved token may sync, each with its own sync state.
 */
export interface AccountInfo {
  id: string;
  /** Display names; from the store when downloaded, else from the server. */
  name: string;
  nameEn: string;
  /** Downloaded into this store (its plans are here). */
  local: boolean;
  /** The saved token may sync it (per /v1/me); null when the server could not be asked. */
  reachable: boolean | null;
  /** Rows with unposted local changes. */
  pending: number;
  /** Open per-field conflicts (sync.conflicts). */
  conflicts: number;
  /** Rows the server rejected and that are not resent until edited again (sync.rejections). */
  rejected: number;
  /** When this merchant last finished a sync (ISO, UTC); null = never. */
  lastSyncAt: string | null;
}

/** How asking the server went: `ok`, or why only local accounts are listed. */
export type AccountsServerState = 'ok' | 'not_configured' | 'offline' | 'unauthorized' | 'update_required';

export interface AccountsList {
  accounts: AccountInfo[];
  /** The saved token's principal (null unless the server answered). */
  principal: { kind: 'merchant' | 'agency' | 'admin'; id: string } | null;
  server: AccountsServerState;
  /** Why the server could not be asked (server !== 'ok' && server !== 'not_configured'). */
  serverMessage?: string;
}

export const accountMethods = {
  'accounts.list': z.object({}).strict(),
};

export interface AccountOutputs {
  'accounts.list': AccountsList;
}
