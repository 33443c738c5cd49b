import type { Suite } from '../suite';
import { engineSuite } from './engine';
import { storeSuite } from './store';
import { syncSuite } from './sync';
import { uiSuite } from './ui';

/** Every suite the runner knows, in the order `all` runs them. */
export const SUITES: readonly Suite[] = [engineSuite, storeSuite, syncSuite, uiSuite];
