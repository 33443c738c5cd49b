import type { Suite } from '../suite';
import { engineSuite } from './engine';
import { storeSuite } from './store';

/** Every suite the runner knows, in the order `all` runs them. Later issues add store, sync, ui. */
export const SUITES: readonly Suite[] = [engineSuite, storeSuite];
