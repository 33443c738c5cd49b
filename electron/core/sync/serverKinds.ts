import type { EntityKind } from '../../../shared/sync/wire';

/** The kinds the backend syncs: every kind the desktop edits. */
const SERVER_KINDS: readonly EntityKind[] = ['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking'];
export const isServerKind = (k: string): k is EntityKind => (SERVER_KINDS as readonly string[]).includes(k);
/** Parents before children (creates, then updates, level by level); deletes go the other way. */
export const KIND_ORDER: Record<EntityKind, number> = { plan: 0, audiencePack: 0, unit: 1, gdBooking: 1, creative: 2, searchWord: 2, negativeWord: 2 };
