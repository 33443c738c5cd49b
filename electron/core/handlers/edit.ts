import { ContractError } from '../../../shared/contract/errors';
import type { editMethods } from '../../../shared/contract/edit';
import { KINDS } from '../../../shared/domain/kinds';
import type { CoreContext } from '../context';
import { runAccountChecks } from '../store/accountChecks';
import { csvExport, csvPreview, decodeCsv, type CsvPlan } from '../store/csv';
import type { Row } from '../store/entityRepo';
import { heldPreviews } from '../store/heldPreviews';
import { entityState } from '../store/planRows';
import { exportProposal, parseProposal, previewProposal } from '../store/proposal';
import { createSnapshot, listSnapshots, restoreSnapshot } from '../store/snapshot';
import { adoptLegacySyncKeys } from '../sync/settingsKeys';
import { dateInZone } from '../time';
import type { AreaHandlers } from './types';

/** Offline editing: entities, bulk edits, find & replace, undo, outbox, checks, rules, CSV, backups, proposals. */
export function editHandlers(ctx: CoreContext): AreaHandlers<typeof editMethods> {
  const { db, plans, repo, journal, ops, rules, settings, merchants, owners, scope, changed, options } = ctx;
  const held = heldPreviews({ db, repo, ops, assertOwnChanges: scope.assertOwnChanges });
  const csvDeps = { db, repo, rules: rules.all, newId: ops.newId };
  const applyHeld = (...args: Parameters<typeof held.apply>) => {
    const r = held.apply(...args);
    if (r.batch !== null) changed();
    return r;
  };
  return {
    'entities.list': ({ kind, parentId, merchantId, offset, limit }) => {
      let rows: Row[];
      if (kind === 'plan') rows = plans.listPlans() as unknown as Row[];
      else if (parentId) rows = repo.children(kind, parentId);
      else rows = repo.all(kind);
      if (merchantId) {
        scope.merchantFor(merchantId);
        const mine = owners.ownsRow(merchantId);
        rows = rows.filter((r) => mine(kind, r));
      }
      const page = rows.slice(offset, offset + limit);
      const markers = journal.markers({ entity: kind, ids: page.map((r) => r.id) });
      return {
        total: rows.length,
        rows: page.map((r) => ({ row: KINDS[kind].defaults(r as never) as Row, state: entityState(markers.get(`${kind}:${r.id}`)) })),
      };
    },
    'entities.get': ({ kind, id }) => {
      const got = repo.get(kind, id);
      if (!got) throw new ContractError('not_found', `no ${kind} with id "${id}"`);
      return { row: KINDS[kind].defaults(got.row as never) as Row, deleted: got.deleted, state: entityState(journal.markers({ entity: kind, ids: [id] }).get(`${kind}:${id}`)) };
    },
    'entities.create': ({ kind, data }) => {
      const id = ops.create(kind, data);
      changed();
      return { id };
    },
    'entities.update': ({ kind, id, patch }) => {
      const n = ops.update(kind, id, patch);
      if (n) changed();
      return { changed: n };
    },
    'entities.delete': ({ kind, ids }) => {
      const n = ops.remove(kind, ids);
      changed();
      return { changed: n };
    },
    'entities.duplicate': ({ kind, id }) => {
      const nid = ops.duplicate(kind, id);
      changed();
      return { id: nid };
    },
    'entities.copy': ({ kind, ids, toParentId }) => {
      const out = ops.copy(kind, ids, toParentId);
      changed();
      return { ids: out };
    },
    'entities.move': ({ kind, ids, toParentId }) => {
      const n = ops.move(kind, ids, toParentId);
      if (n) changed();
      return { changed: n };
    },
    'bulk.preview': ({ kind, ids, op }) => ops.bulkPreview(kind, ids, op),
    'bulk.apply': ({ kind, ids, op }) => {
      const r = ops.bulkApply(kind, ids, op);
      if (r.changed) changed();
      return r;
    },
    'replace.preview': (spec) => ops.replacePreview(spec),
    'replace.apply': (spec) => {
      const r = ops.replaceApply(spec);
      if (r.changed) changed();
      return r;
    },
    'journal.undo': () => {
      const r = ops.undo();
      if (r) changed();
      return r && { batch: r.batch, label: r.label };
    },
    'journal.redo': () => {
      const r = ops.redo();
      if (r) changed();
      return r && { batch: r.batch, label: r.label };
    },
    'journal.status': ({ limit }) => {
      const u = journal.undoable();
      const r = journal.redoable();
      return { canUndo: !!u, canRedo: !!r, undoLabel: u?.label ?? null, redoLabel: r ? r.label.replace(/^undo: /, '') : null, history: journal.history(limit) };
    },
    'outbox.list': ({ limit, merchantId }) => {
      let rows = journal.outbox();
      if (merchantId) {
        scope.merchantFor(merchantId);
        const mine = owners.ownedBy(merchantId);
        rows = rows.filter((r) => mine(r.entity, r.entityId));
      }
      return { rows: rows.slice(0, limit).map(({ id, entity, entityId, field, oldValue, newValue }) => ({ id, entity, entityId, field, oldValue, newValue })), total: rows.length, entities: new Set(rows.map((r) => `${r.entity}:${r.entityId}`)).size };
    },
    'checks.run': ({ planIds, merchantId }) => {
      if (merchantId) scope.merchantFor(merchantId);
      const issues = runAccountChecks({ plans, repo, journal, rules: rules.all, today: ctx.todayInZone }, planIds, merchantId);
      return { issues: issues.slice(0, 5000), errorCount: issues.filter((i) => i.severity === 'error').length, warningCount: issues.filter((i) => i.severity === 'warning').length };
    },
    'rules.list': ({ merchantId }) => rules.of(scope.merchantFor(merchantId).id),
    'rules.save': ({ rules: next, merchantId }) => {
      const m = scope.merchantFor(merchantId);
      const saved = rules.replace(m.id, next);
      changed();
      return saved;
    },
    'csv.export': ({ kind, ids, merchantId }) => {
      if (!merchantId) return csvExport(csvDeps, kind, ids);
      scope.merchantFor(merchantId);
      // One account's rows: those named that are its, or all of its rows of the kind.
      const mine = owners.ownsRow(merchantId);
      const pool: Row[] = kind === 'plan' ? (plans.listPlans() as unknown as Row[]) : repo.all(kind);
      const wanted = ids ? new Set(ids) : undefined;
      return csvExport(csvDeps, kind, pool.filter((r) => (!wanted || wanted.has(r.id)) && mine(kind, r)).map((r) => r.id));
    },
    'csv.preview': (input) => {
      const m = scope.soleMerchant(input.merchantId, 'import into');
      const plan: CsvPlan = csvPreview(csvDeps, input.kind, decodeCsv(input), { merchantId: m.id, today: dateInZone(new Date(), m.timeZone), owns: owners.ownsRow(m.id) });
      // csvPreview keeps to the account (another account's row is an error on its line); this
      // is the same guard as a proposal's, should a change ever slip past it.
      scope.assertOwnChanges(m.id, plan.changes);
      const token = held.hold('csv', plan.changes, `CSV import: ${plan.preview.creates} new, ${plan.preview.updates} changed ${input.kind}`);
      return { token, ...plan.preview };
    },
    'csv.apply': ({ token }) => applyHeld(token, 'csv'),
    'backup.create': ({ file }) => createSnapshot(db, options.dataDir, file),
    'backup.list': () => listSnapshots(options.dataDir),
    'backup.restore': ({ file }) => {
      const r = restoreSnapshot(db, options.dataDir, file);
      journal.forget();
      // A snapshot from before several merchants shared a store keeps its sync settings unkeyed.
      adoptLegacySyncKeys(settings, merchants.local()[0]?.id);
      held.clear();
      changed();
      return r;
    },
    'proposal.export': ({ comment, author, merchantId }) => {
      const m = scope.soleMerchant(merchantId, 'share');
      return exportProposal(journal, owners.ownedBy(m.id), m.id, author, comment);
    },
    'proposal.preview': ({ content, merchantId }) => {
      const file = parseProposal(content);
      const m = scope.proposalMerchant(file.merchantId, merchantId);
      const { preview, changes } = previewProposal(repo, scope.scopeOf(m.id), file);
      const stale = new Set(preview.changes.filter((c) => c.stale).map((c) => c.id));
      const token = held.hold('proposal', [], `proposed changes${preview.author ? ` from ${preview.author}` : ''}`, { fresh: changes, stale, merchantId: m.id });
      return { token, merchant: { id: m.id, name: m.name, nameEn: m.nameEn }, ...preview };
    },
    'proposal.apply': ({ token, changeIds, merchantId }) => {
      if (merchantId) scope.merchantFor(merchantId);
      return applyHeld(token, 'proposal', changeIds, merchantId);
    },
  };
}
