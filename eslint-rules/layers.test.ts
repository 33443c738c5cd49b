import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they were files at the given paths, through the repository's own
// eslint.config.js: this proves the rule and the globs that apply it, not the rule alone.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'lantern/layers').map((m) => m.message);
}

const violations: [file: string, code: string, says: RegExp][] = [
  ['shared/domain/scratch.ts', "import { startServer } from '../../server/app';", /shared\/ may not import server\//],
  ['shared/scratch.ts', "export * from '../electron/core/core';", /shared\/ may not import electron\//],
  ['shared/contract/scratch.ts', "import type { App } from '../../renderer/src/App';", /shared\/ may not import renderer\//],
  ['shared/scratch.test.ts', "import { startServer } from '../server/app';", /shared\/ may not import server\//],
  ['renderer/src/scratch.ts', "import { createCore } from '../../electron/core/core';", /renderer\/ may not import electron\//],
  ['renderer/src/features/sync/scratch.ts', "const m = import('../../../../server/app');", /renderer\/ may not import server\//],
  ['server/scratch.ts', "import { createCore } from '../electron/core/core';", /server\/ may not import electron\//],
  ['electron/core/scratch.ts', "import { startServer } from '../../server/app';", /electron\/ may not import server\//],
  ['electron/web/scratch.ts', "export { startServer } from '../../server/app';", /electron\/ may not import server\//],
  ['electron/core/scratch.ts', "import { x } from '../../e2e/helpers';", /electron\/ may not import e2e\//],
  ['renderer/src/features/checks/scratch.tsx', "import { BulkEditDialog } from '../operations/BulkEditDialog';", /Feature "checks" may not reach into feature "operations"/],
  ['renderer/src/features/checks/sub/scratch.tsx', "import '../../sync/sync.css';", /Feature "checks" may not reach into feature "sync"/],
  ['renderer/src/ui/scratch.tsx', "import { SyncPanel } from '../features/sync/SyncPanel';", /shared by the features and may not import one/],
  ['renderer/src/state/scratch.ts', "import { keys } from '../features/forecast/model';", /shared by the features and may not import one/],
  // The exception is for one importer only.
  ['renderer/src/features/editing/scratch.ts', "import { valueText } from '../sync/values';", /Feature "editing" may not reach into feature "sync"/],
];

const allowed: [file: string, code: string][] = [
  ['shared/domain/scratch.ts', "import { KINDS } from './kinds';\nimport type { X } from '../contract';"],
  ['renderer/src/features/sync/scratch.ts', "import { call } from '../../api/call';\nimport { Dialog } from '../../ui/Dialog';\nimport type { Plan } from '../../../../shared/domain/plan';\nimport { money } from '../../format';\nimport './sync.css';"],
  ['renderer/src/features/sync/sub/scratch.ts', "import { SyncPanel } from '../SyncPanel';"],
  ['renderer/src/App.tsx', "import { SyncPanel } from './features/sync/SyncPanel';\nconst F = import('./features/forecast/ForecastView');"],
  ['renderer/src/scratch.tsx', "import { Dialogs } from './Dialogs';\nimport { EditWorkspace } from './features/editing/EditWorkspace';"],
  ['server/scratch.ts', "import { KINDS } from '../shared/domain/kinds';\nimport { x } from './sql';"],
  ['electron/core/scratch.ts', "import { KINDS } from '../../shared/domain/kinds';\nimport { y } from '../web/host';"],
  ['electron/core/sync/scratch.test.ts', "import { startServer } from '../../../server/app';"],
  ['server/scratch.test.ts', "import { createCore } from '../electron/core/core';"],
  ['bench/scratch.ts', "import { startServer } from '../server/app';\nimport { createCore } from '../electron/core/core';"],
  ['e2e/scratch.ts', "import { startServer } from '../server/app';\nimport { KINDS } from '../shared/domain/kinds';"],
  ['renderer/src/features/inspect/InspectWorkspace.tsx', "import { valueText } from '../../ui/fieldValues';"],
  ['scripts/scratch.mjs', "import x from '../server/app.js';"],
];

describe('lantern/layers through eslint.config.js', () => {
  it.each(violations)('%s: %s is reported', async (file, code, says) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(says);
  });

  it.each(allowed)('%s: %s is allowed', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
