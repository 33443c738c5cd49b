import type { Suite } from '../suite';
import { engineSuite } from './engine';
import { storeSuite } from './store';
import { syncSuite } from './sync';

/** Every suite the runner knows, in the order `all` runs them. A later issue adds ui. */
export const SUITES: readonly Suite[] = [engineSuite, storeSuite, syncSuite];
