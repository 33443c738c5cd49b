import { z } from 'zod';
import type { SignedInUser } from '../sync/wire';

/**
 * Who the app works as, and in which profile.
 *
 * A data folder holds two profiles, each its own SQLite store: `account` (the folder itself, so a
 * store from before profiles keeps working) and `demo` (`<folder>/demo/`, seeded with the demo
 * merchant and synced only with the local demo backend), so demo rows can never be posted to a
 * real account. Which one opens is remembered in `<folder>/profile.json`.
 *
 * The account profile is signed in when it has a server and a token: from `session.signIn`
 * (a user's expiring session token) or, for scripts and CI, from the host's `--server/--token`
 * flags (a long-lived API token; `user` is then null). A fresh account profile is empty: the
 * first sync downloads the account.
 */
export type ProfileName = 'account' | 'demo';

export interface SessionStatus {
  profile: ProfileName;
  /** A server and token are saved (the account profile); the demo profile is always signed in to the demo backend. */
  signedIn: boolean;
  serverUrl: string | null;
  /** The signed-in user (null for an API token from the flags, or signed out). */
  user: SignedInUser | null;
  /** When the session token expires (ISO, UTC); null for API tokens or signed out. */
  expiresAt: string | null;
  /**
   * How the token is kept at rest: `sealed` by the OS keychain (Electron's safeStorage), `clear`
   * (the user agreed, or browser mode, which has no keychain), `none` (no token).
   */
  tokenStorage: 'sealed' | 'clear' | 'none';
  /** Whether this host can seal secrets (false: browser mode, or an OS without a keychain). */
  canSeal: boolean;
  /** Show the welcome screen: the account profile with no token and no merchant yet. */
  welcome: boolean;
  /** This host was given a demo backend, so "Explore the demo" can open the demo profile. */
  demoAvailable: boolean;
}

const ServerUrl = z
  .string()
  .trim()
  .min(1, 'enter the server address')
  .max(2048)
  // The shared layer has no URL global (no DOM or Node lib): a scheme, then a host.
  .refine((u) => /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i.test(u), 'enter an http:// or https:// address, e.g. https://lantern.example.com');

export const sessionMethods = {
  'session.status': z.object({}).strict(),
  /**
   * Signs in to `serverUrl` as `user` and saves the server and the (sealed) token in this profile.
   * Fails with `unauthorized` (details.reason `invalid_credentials`), `rate_limited`
   * (details.retryAfterSeconds), `offline` (details.reason `unreachable` or `not_lantern`),
   * `update_required`, or `consent_required` when the host cannot seal the token and
   * `storeInClear` was not given. Signing in as another principal than the one whose rows this
   * store holds discards those rows (they are the server's to download again); when some are
   * unposted it fails with `unposted_changes` unless `discardUnposted` (a backup is written first).
   */
  'session.signIn': z
    .object({
      serverUrl: ServerUrl,
      user: z.string().trim().min(1, 'enter your user name').max(200),
      password: z.string().min(1, 'enter your password').max(1024),
      storeInClear: z.boolean().optional(),
      discardUnposted: z.boolean().optional(),
    })
    .strict(),
  /** Revokes the session token on the server (when reachable) and wipes it here; rows stay. */
  'session.signOut': z.object({}).strict(),
  /**
   * Opens the other profile: the host closes this store and opens that one (the window then
   * gets `profile.changed` and reloads). Answered by the host, not the core.
   */
  'profile.open': z.object({ profile: z.enum(['account', 'demo']) }).strict(),
};

export interface SessionOutputs {
  'session.status': SessionStatus;
  'session.signIn': SessionStatus;
  /** `revoked`: the server confirmed the token is revoked (false when it could not be reached). */
  'session.signOut': SessionStatus & { revoked: boolean };
  'profile.open': { profile: ProfileName };
}
