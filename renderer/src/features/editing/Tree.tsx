import { useQueries } from '@tanstack/react-query';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TreeNode } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { count } from '../../format';
import { useTreeNodes } from './api';
import { Marker } from './cells';

/** Where the grid is: a node of the tree and the kind of rows listed under it. */
export type Level =
  | { node: 'merchant'; kind: EntityKind }
  | { node: 'plan'; id: string; name: string; kind: EntityKind }
  | { node: 'unit'; id: string; planId: string; name: string; kind: EntityKind };

interface Item {
  key: string;
  depth: number;
  label: string;
  /** null: a leaf; otherwise expanded or not. */
  expanded: boolean | null;
  level: Level;
  node?: TreeNode;
  countText?: string;
  parentKey: string | null;
}

const UNIT_KINDS = ['creative', 'searchWord', 'negativeWord'] as const;

export const levelKey = (l: Level): string => (l.node === 'merchant' ? `m:${l.kind}` : `${l.node}:${l.id}:${l.kind}`);

/**
 * merchant › plans › units › creatives / search words / negative words, with counts, state
 * markers and error counts. Plans and units load when opened (grid.tree), so a 500-plan
 * account opens at once. Keyboard: arrows move, → opens, ← closes or goes up, Enter shows.
 */
export function Tree({ merchantId, merchantName, level, onSelect }: { merchantId: string | undefined; merchantName: string; level: Level; onSelect: (l: Level) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(['m']));
  const plans = useTreeNodes(merchantId, undefined, merchantId !== undefined);
  const toggle = (key: string, on?: boolean) =>
    setOpen((s) => {
      const n = new Set(s);
      if (on ?? !n.has(key)) n.add(key);
      else n.delete(key);
      return n;
    });
  // A level chosen elsewhere (grid drill-in, focus) opens its branch (adjusted while rendering).
  const [shownLevel, setShownLevel] = useState<Level>(level);
  if (shownLevel !== level) {
    setShownLevel(level);
    const add = level.node === 'plan' ? [`p:${level.id}`] : level.node === 'unit' ? [`p:${level.planId}`, `u:${level.id}`] : [];
    if (add.some((k) => !open.has(k))) setOpen(new Set([...open, ...add]));
  }

  const items: Item[] = [{ key: 'm', depth: 0, label: merchantName, expanded: open.has('m'), level: { node: 'merchant', kind: 'plan' }, parentKey: null }];
  const openPlans = plans.data?.nodes.filter((p) => open.has(`p:${p.id}`)) ?? [];
  if (open.has('m')) {
    items.push({ key: 'm:audiencePack', depth: 1, label: t('edit.kind.audiencePack'), expanded: null, level: { node: 'merchant', kind: 'audiencePack' }, parentKey: 'm' });
    for (const p of plans.data?.nodes ?? []) {
      const pk = `p:${p.id}`;
      items.push({
        key: pk,
        depth: 1,
        label: p.name,
        expanded: open.has(pk),
        level: { node: 'plan', id: p.id, name: p.name, kind: 'unit' },
        node: p,
        countText: t('edit.tree.units', { count: p.counts.units ?? 0, formatted: count(p.counts.units ?? 0) }),
        parentKey: 'm',
      });
      if (open.has(pk)) items.push({ key: `${pk}:units`, depth: 2, label: '', expanded: null, level: { node: 'plan', id: p.id, name: p.name, kind: 'unit' }, parentKey: pk });
    }
  }

  return (
    <div className="tree-wrap">
      <h2 id="tree-heading">{t('edit.tree.heading')}</h2>
      <ul role="tree" aria-labelledby="tree-heading" className="tree">
        <TreeItems items={items} open={open} openPlans={openPlans} level={level} onSelect={onSelect} toggle={toggle} />
      </ul>
    </div>
  );
}

/** Expands each open plan's placeholder into its units (each plan loads its own). */
function TreeItems(props: { items: Item[]; open: ReadonlySet<string>; openPlans: TreeNode[]; level: Level; onSelect: (l: Level) => void; toggle: (k: string, on?: boolean) => void }) {
  const { t } = useTranslation();
  const unitsByPlan = useUnitsOf(props.openPlans.map((p) => p.id));
  const flat: Item[] = [];
  for (const it of props.items) {
    if (!it.key.endsWith(':units')) {
      flat.push(it);
      continue;
    }
    const planId = it.key.slice(2, -':units'.length);
    for (const u of unitsByPlan.get(planId) ?? []) {
      const uk = `u:${u.id}`;
      flat.push({
        key: uk,
        depth: 2,
        label: u.name,
        expanded: props.open.has(uk),
        level: { node: 'unit', id: u.id, planId, name: u.name, kind: 'creative' },
        node: u,
        countText: t('edit.tree.creativesWords', { creatives: count(u.counts.creatives), words: count(u.counts.searchWords) }),
        parentKey: `p:${planId}`,
      });
      if (props.open.has(uk)) {
        for (const k of UNIT_KINDS) {
          const n = k === 'creative' ? u.counts.creatives : k === 'searchWord' ? u.counts.searchWords : (u.counts.negativeWords ?? 0);
          flat.push({ key: `${uk}:${k}`, depth: 3, label: t(`edit.kind.${k}`), expanded: null, countText: count(n), level: { node: 'unit', id: u.id, planId, name: u.name, kind: k }, parentKey: uk });
        }
      }
    }
  }
  const current = levelKey(props.level);
  const selectedKey = flat.find((i) => levelKey(i.level) === current)?.key;
  const [focusKey, setFocusKey] = useState<string>('m');
  const refs = useRef(new Map<string, HTMLLIElement>());
  const focusItem = (key: string | undefined) => {
    if (!key) return;
    setFocusKey(key);
    refs.current.get(key)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent, it: Item, i: number) => {
    const go: Record<string, () => void> = {
      ArrowDown: () => focusItem(flat[i + 1]?.key),
      ArrowUp: () => focusItem(flat[i - 1]?.key),
      Home: () => focusItem(flat[0]?.key),
      End: () => focusItem(flat[flat.length - 1]?.key),
      ArrowRight: () => (it.expanded === false ? props.toggle(it.key, true) : it.expanded ? focusItem(flat[i + 1]?.key) : undefined),
      ArrowLeft: () => (it.expanded ? props.toggle(it.key, false) : focusItem(it.parentKey ?? undefined)),
      Enter: () => props.onSelect(it.level),
      ' ': () => props.onSelect(it.level),
    };
    const f = go[e.key];
    if (f) {
      e.preventDefault();
      e.stopPropagation();
      f();
    }
  };
  const tabbable = flat.some((i) => i.key === focusKey) ? focusKey : (selectedKey ?? 'm');
  return (
    <>
      {flat.map((it, i) => (
        <li
          key={it.key}
          ref={(el) => {
            if (el) refs.current.set(it.key, el);
            else refs.current.delete(it.key);
          }}
          role="treeitem"
          aria-level={it.depth + 1}
          aria-expanded={it.expanded === null ? undefined : it.expanded}
          aria-selected={it.key === selectedKey}
          tabIndex={it.key === tabbable ? 0 : -1}
          data-tree-key={it.key}
          className={['tree-item', it.key === selectedKey ? 'selected' : '', it.node?.state.unposted ? 'unposted' : ''].join(' ')}
          style={{ paddingLeft: 8 + it.depth * 16 }}
          onClick={() => {
            setFocusKey(it.key);
            props.onSelect(it.level);
          }}
          onKeyDown={(e) => onKeyDown(e, it, i)}
        >
          {it.expanded !== null ? (
            <span
              className="twisty"
              aria-hidden="true"
              onClick={(e) => {
                e.stopPropagation();
                props.toggle(it.key);
              }}
            >
              {it.expanded ? '▾' : '▸'}
            </span>
          ) : (
            <span className="twisty" aria-hidden="true" />
          )}
          {it.node && <Marker t={t} state={it.node.state} />}
          <span className="tree-label">{it.label}</span>
          {it.countText && <span className="tree-count">{it.countText}</span>}
          {it.node && it.node.errors > 0 && (
            <span className="issue-badge issue-error" role="img" aria-label={t('edit.tree.errors', { count: it.node.errors })} title={t('edit.tree.errors', { count: it.node.errors })}>
              {it.node.errors}
            </span>
          )}
        </li>
      ))}
    </>
  );
}

/** The units of each open plan, one query per plan (react-query keeps them per plan). */
function useUnitsOf(planIds: string[]): Map<string, TreeNode[]> {
  const results = useQueries({
    queries: planIds.map((planId) => ({ queryKey: ['grid', 'tree', '', planId], queryFn: () => call('grid.tree', { planId }) })),
  });
  const out = new Map<string, TreeNode[]>();
  results.forEach((r, i) => {
    const id = planIds[i];
    if (id && r.data) out.set(id, r.data.nodes);
  });
  return out;
}
