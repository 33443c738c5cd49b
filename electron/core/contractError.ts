import { ContractError } from '../../shared/contract/errors';

/**
 * A failure as the contract types it. A ContractError passes through; anything else (a bug, a
 * malformed answer) is logged here for support and answered as `internal`, without internals.
 */
export function toContractError(err: unknown): ContractError {
  if (err instanceof ContractError) return err;
  console.error('[lantern core]', err);
  return new ContractError('internal', `Something went wrong inside Lantern: ${(err as Error)?.message ?? String(err)}`);
}
