import { ContractError } from '../../shared/contract/errors';
import type { Merchant } from '../../shared/domain/entities';
import type { EntityKind } from '../../shared/domain/kinds';
import type { JournalChange } from './store/journal';
import type { Ownership } from './store/ownership';
import { assertProposalFields, foreignChanges } from './store/proposal';
import type { MerchantResolver } from './sync/merchants';

/**
 * Which account a call acts on. Reads default to the store's first account; writes and shares
 * must name one when the store holds several (guessing would act on the wrong account); a
 * change set is refused whole when it touches another account's row.
 */
export function accountScope(merchants: MerchantResolver, owners: Ownership) {
  /** The merchant a read is for: the one named (it must be in this store), else the store's first. */
  const merchantFor = (merchantId?: string): Merchant => {
    const local = merchants.local();
    const m = merchantId ? local.find((x) => x.id === merchantId) : local[0];
    if (!m) throw new ContractError('not_found', merchantId ? `no merchant "${merchantId}" in this data folder` : 'no merchant account in this data folder');
    return m;
  };
  /**
   * The merchant a write or a share is for: the one named (it must be in this store), else the
   * store's only one. With several merchants here the caller must say which.
   */
  const soleMerchant = (merchantId: string | undefined, what: string): Merchant => {
    if (merchantId) return merchantFor(merchantId);
    const local = merchants.local();
    if (local.length === 0) throw new ContractError('not_found', 'no merchant account in this data folder');
    if (local.length > 1) {
      throw new ContractError('invalid_input', `this data folder holds ${local.length} accounts: say which one to ${what} (merchantId)`, [{ path: 'merchantId', message: 'choose an account' }], {
        reason: 'choose_account',
        merchants: local.map((m) => m.id),
      });
    }
    return local[0]!;
  };
  /**
   * Who owns a row, for checking many changes against one merchant: its own rows by one id set
   * per kind (a 100k-row import must not pay a join per row), the owner of any other looked up.
   */
  const scopeOf = (merchantId: string) => {
    const mine = owners.ownedBy(merchantId);
    return { merchantId, ownerOf: (k: EntityKind, id: string) => (mine(k, id) ? merchantId : owners.ownerOf(k, id)) };
  };
  /** Refuses changes that touch a row outside the merchant (by the row, a new row's parent, a move's new parent). */
  const assertOwnChanges = (merchantId: string, changes: JournalChange[]) => {
    // A move is recognised by the parent field's exact name: any other name must be a field of the kind.
    assertProposalFields(changes, 'changes');
    const foreign = foreignChanges(scopeOf(merchantId), changes);
    if (foreign.length === 0) return;
    const f = foreign[0]!;
    throw new ContractError('invalid_input', `${foreign.length} of these changes are outside account ${merchantId} (first: ${f.entity} ${f.entityId}, ${f.owner ? `of account ${f.owner}` : 'in no account here'}); nothing was changed`, undefined, {
      reason: 'foreign_rows',
      merchantId,
      count: foreign.length,
    });
  };
  /**
   * The account a proposal file is reviewed for: the one it names, which must be in this store
   * and (when the reviewer names their open account) be that one; a file naming none is for the
   * reviewer's account, or the store's only one.
   */
  const proposalMerchant = (named: string | undefined, open: string | undefined): Merchant => {
    if (!named) {
      if (!open && merchants.local().length > 1) {
        throw new ContractError('invalid_input', 'this proposal file does not say which account it is for, and this data folder holds several: open the account it is for and choose the file again', [{ path: 'merchantId', message: 'choose an account' }], {
          reason: 'choose_account',
        });
      }
      return soleMerchant(open, 'review the proposal for');
    }
    const m = merchants.local().find((x) => x.id === named);
    if (!m) {
      throw new ContractError('not_found', `the proposal is for account ${named}, which is not in this data folder: download it first (Accounts)`, [{ path: 'content.merchantId', message: 'not in this data folder' }], {
        reason: 'account_missing',
        proposalMerchantId: named,
      });
    }
    if (open && open !== named) {
      merchantFor(open);
      throw new ContractError('invalid_input', `the proposal is for account ${m.nameEn || m.name} (${named}), not the open one (${open}): switch to ${m.nameEn || m.name} to review it`, [{ path: 'content.merchantId', message: 'another account' }], {
        reason: 'other_account',
        proposalMerchantId: named,
        openMerchantId: open,
      });
    }
    return m;
  };
  return { merchantFor, soleMerchant, scopeOf, assertOwnChanges, proposalMerchant };
}

export type AccountScope = ReturnType<typeof accountScope>;
