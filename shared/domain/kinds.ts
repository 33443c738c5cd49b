import type { z } from 'zod';
import { AudiencePack } from './audience';
import { Creative, creativeDefaults } from './creative';
import { GdBooking } from './gdBooking';
import { NegativeWord, SearchWord } from './keywords';
import { Plan, planDefaults } from './plan';
import { Unit, unitDefaults } from './unit';

/** The editable entity kinds, as named in the journal ("entity" column) and the contract. */
export const ENTITY_KINDS = ['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface KindInfo {
  schema: z.ZodType;
  /** Id prefix of new entities. */
  prefix: string;
  /** The parent's kind and the field holding its id (null: child of the merchant). */
  parent: { kind: EntityKind | 'merchant'; field: string };
  /** The field that names the row in a name path (plan › unit › word). */
  nameField: string;
  /** Fills optional fields with their defaults. */
  defaults: (x: never) => object;
}

const id = <T>(x: T): T => x;

export const KINDS: Record<EntityKind, KindInfo> = {
  plan: { schema: Plan, prefix: 'pl', parent: { kind: 'merchant', field: 'merchantId' }, nameField: 'name', defaults: planDefaults },
  unit: { schema: Unit, prefix: 'un', parent: { kind: 'plan', field: 'planId' }, nameField: 'name', defaults: unitDefaults },
  creative: {
    schema: Creative,
    prefix: 'cr',
    parent: { kind: 'unit', field: 'unitId' },
    nameField: 'title',
    defaults: creativeDefaults,
  },
  searchWord: { schema: SearchWord, prefix: 'sw', parent: { kind: 'unit', field: 'unitId' }, nameField: 'word', defaults: id },
  negativeWord: { schema: NegativeWord, prefix: 'nw', parent: { kind: 'unit', field: 'unitId' }, nameField: 'word', defaults: id },
  audiencePack: { schema: AudiencePack, prefix: 'ap', parent: { kind: 'merchant', field: 'merchantId' }, nameField: 'name', defaults: id },
  gdBooking: { schema: GdBooking, prefix: 'gd', parent: { kind: 'plan', field: 'planId' }, nameField: 'date', defaults: id },
};

export function isEntityKind(x: string): x is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(x);
}
