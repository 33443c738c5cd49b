import { columnSizingFeature, columnVisibilityFeature, createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState, type ColumnVisibilityState as VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type GridRow, type GridStateFilter } from '../../../../shared/contract';
import { fieldLabelKey } from '../../../../shared/domain/fields';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { count as countText } from '../../format';
import { useUi } from '../../state/uiStore';
import { BLOCK, useDeleteEntities, useGridBlocks, useUpdateEntity, type GridSpec } from './api';
import { cellText, IssueBadges, Marker } from './cells';
import { FIELDS, parseInput, toInputText, type FieldSpec, type ParseResult } from './fields';
import { errorText } from './messages';
import './DataGrid.css';

export const ROW_HEIGHT = 32;
const MARKER_WIDTH = 64;

const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, columnSizingFeature });
type Data = Record<string, unknown>;
const helper = createColumnHelper<typeof features, Data>();
const NO_DATA: Data[] = [];

const columnsByKind = new Map<EntityKind, ReturnType<typeof makeColumns>>();
function makeColumns(kind: EntityKind) {
  return FIELDS[kind].map((spec) => helper.accessor((r: Data) => r[spec.field], { id: spec.field, size: spec.width ?? 120, enableSorting: spec.type !== 'list' }));
}
const columnsOf = (kind: EntityKind) => {
  let c = columnsByKind.get(kind);
  if (!c) columnsByKind.set(kind, (c = makeColumns(kind)));
  return c;
};
const defaultVisibility = (kind: EntityKind): VisibilityState => Object.fromEntries(FIELDS[kind].map((f) => [f.field, f.column === true]));

interface Editing {
  index: number;
  id: string;
  field: string;
  text: string;
  error: string | null;
}

export interface DataGridProps {
  kind: EntityKind;
  parentId?: string | undefined;
  merchantId?: string | undefined;
  /** Drill into a plan or unit (its children's grid). */
  onOpen?: ((row: GridRow) => void) | undefined;
  /** The row under the keyboard cursor / last clicked: the detail pane shows it. */
  onCursor?: ((row: GridRow | null) => void) | undefined;
  /** A row to bring into view and select (from the check panel, inspect, search). */
  focusId?: string | null | undefined;
  onFocused?: (() => void) | undefined;
  label: string;
}

/**
 * A grid of one kind: sorting, filtering and paging run in SQLite (grid.query); the body is
 * virtualized and fetches the blocks of rows it shows, so 200,000 rows scroll like 20.
 */
export function DataGrid({ kind, parentId, merchantId, onOpen, onCursor, focusId, onFocused, label }: DataGridProps) {
  const { t } = useTranslation();
  const [sorting, setSorting] = useState<SortingState>([]);
  const [visibility, setVisibility] = useState<VisibilityState>(() => defaultVisibility(kind));
  const [textInput, setTextInput] = useState('');
  const [text, setText] = useState('');
  const [stateFilter, setStateFilter] = useState<GridStateFilter>('all');
  useEffect(() => {
    const h = setTimeout(() => setText(textInput), 250);
    return () => clearTimeout(h);
  }, [textInput]);

  const table = useTable({
    features,
    columns: columnsOf(kind),
    data: NO_DATA,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: setSorting,
    onColumnVisibilityChange: setVisibility,
    manualSorting: true,
    enableMultiSort: false,
  });
  const visibleColumns = table.getVisibleLeafColumns();
  const specsShown = visibleColumns.map((c) => FIELDS[kind].find((f) => f.field === c.id) as FieldSpec);

  const first = sorting[0];
  const spec: GridSpec = useMemo(
    () => ({
      kind,
      ...(parentId ? { parentId } : {}),
      ...(merchantId ? { merchantId } : {}),
      ...(first ? { sort: { field: first.id, desc: first.desc } } : {}),
      text,
      state: stateFilter,
    }),
    [kind, parentId, merchantId, first, text, stateFilter],
  );
  const specKey = JSON.stringify(spec);

  const scrollRef = useRef<HTMLDivElement>(null);
  const totalRef = useRef<{ key: string; total: number }>({ key: '', total: 0 });
  const [visibleRange, setVisibleRange] = useState<[number, number]>([0, 0]);
  const blocks = useMemo(() => {
    const out: number[] = [];
    // Half a block of margin each way: the next block is asked for before it scrolls into view.
    // (A block past the end answers no rows: one cheap query.)
    const from = Math.max(0, Math.floor((visibleRange[0] - BLOCK / 2) / BLOCK));
    const to = Math.floor((visibleRange[1] + BLOCK / 2) / BLOCK);
    for (let b = from; b <= to; b++) out.push(b);
    return out;
  }, [visibleRange]);
  const results = useGridBlocks(spec, blocks);
  const loaded = new Map<number, GridRow[]>();
  let total: number | undefined;
  let loadError: Error | null = null;
  results.forEach((r, i) => {
    if (r.data) {
      loaded.set(blocks[i] as number, r.data.rows);
      total = r.data.total;
    }
    if (r.isError) loadError = r.error;
  });
  if (total !== undefined) totalRef.current = { key: specKey, total };
  const rowCount = totalRef.current.key === specKey ? totalRef.current.total : (total ?? 0);
  const rowAt = (i: number): GridRow | undefined => loaded.get(Math.floor(i / BLOCK))?.[i % BLOCK];

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    onChange: (v) => {
      const items = v.getVirtualItems();
      const a = items[0]?.index ?? 0;
      const b = items[items.length - 1]?.index ?? 0;
      const half = BLOCK / 2;
      const key = (x: number, d: number) => Math.floor((x + d) / BLOCK);
      setVisibleRange((cur) => (key(cur[0], -half) === key(a, -half) && key(cur[1], half) === key(b, half) ? cur : [a, b]));
    },
  });

  // Selection: ids (they survive re-sorting and refetches), an anchor for shift, a cell cursor.
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [cursor, setCursor] = useState<{ index: number; col: number }>({ index: 0, col: 0 });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const setUiSelection = useUi((s) => s.setSelection);
  useEffect(() => {
    setUiSelection(selected.size ? { kind, ids: [...selected] } : null);
  }, [selected, kind, setUiSelection]);
  // A new query (filter, sort, level) starts from the top with nothing selected.
  useEffect(() => {
    setSelected(new Set());
    setAnchor(null);
    setCursor({ index: 0, col: 0 });
    setEditing(null);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [specKey]);

  const cursorRow = rowAt(cursor.index);
  const cursorId = cursorRow?.row.id as string | undefined;
  const onCursorRef = useRef(onCursor);
  onCursorRef.current = onCursor;
  const lastCursor = useRef<string | undefined>(undefined);
  useEffect(() => {
    const sig = cursorRow ? `${cursorRow.row.id as string}:${JSON.stringify(cursorRow.state)}` : undefined;
    if (sig === lastCursor.current) return;
    lastCursor.current = sig;
    onCursorRef.current?.(cursorRow ?? null);
  });

  const idsBetween = useCallback(
    async (a: number, b: number): Promise<string[]> => {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const out: string[] = [];
      for (let i = lo; i <= hi; i++) {
        const r = rowAt(i);
        if (!r) {
          const got = await call('grid.ids', { ...spec, offset: lo, limit: hi - lo + 1 });
          return got.ids;
        }
        out.push(r.row.id as string);
      }
      return out;
    },
    // rowAt reads this render's blocks; a stale closure would only cost one extra request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [specKey, results],
  );

  const selectAt = async (index: number, mode: 'only' | 'toggle' | 'range') => {
    const r = rowAt(index);
    if (mode === 'range' && anchor !== null) {
      setSelected(new Set(await idsBetween(anchor, index)));
    } else if (r) {
      const id = r.row.id as string;
      if (mode === 'toggle') {
        setSelected((s) => {
          const n = new Set(s);
          if (n.has(id)) n.delete(id);
          else n.add(id);
          return n;
        });
      } else setSelected(new Set([id]));
      setAnchor(index);
    }
  };

  const moveTo = (index: number, col: number, extend: boolean) => {
    const i = Math.max(0, Math.min(rowCount - 1, index));
    const c = Math.max(0, Math.min(specsShown.length - 1, col));
    setCursor({ index: i, col: c });
    virtualizer.scrollToIndex(i, { align: 'auto' });
    if (i !== cursor.index) void selectAt(i, extend ? 'range' : 'only');
  };

  // Focus requests (check panel, inspect): find the row's position in this query, then show it.
  const onFocusedRef = useRef(onFocused);
  onFocusedRef.current = onFocused;
  useEffect(() => {
    if (!focusId) return;
    let live = true;
    void (async () => {
      const got = await call('grid.ids', { ...spec, text: '', state: 'all' });
      if (!live) return;
      const index = got.ids.indexOf(focusId);
      if (index >= 0 && text === '' && stateFilter === 'all') {
        virtualizer.scrollToIndex(index, { align: 'center' });
        setCursor({ index, col: 0 });
        setSelected(new Set([focusId]));
        setAnchor(index);
        scrollRef.current?.focus();
      } else if (index >= 0) {
        setTextInput('');
        setText('');
        setStateFilter('all');
        return; // the query changes; this effect runs again with the cleared filters
      }
      onFocusedRef.current?.();
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusId, specKey]);

  const update = useUpdateEntity();
  const remove = useDeleteEntities();

  const startEdit = (index: number, col: number, initial?: string) => {
    const r = rowAt(index);
    const s = specsShown[col];
    if (!r || !s || s.readOnly || r.state.deleted) return;
    setEditing({ index, id: r.row.id as string, field: s.field, text: initial ?? toInputText(s, r.row[s.field]), error: null });
  };

  // Enter commits and unmounts the input, whose blur would commit the same edit again.
  const committing = useRef(false);
  const commitEdit = async (move: 'down' | 'right' | 'none') => {
    if (!editing || committing.current) return;
    committing.current = true;
    try {
      await commitEditNow(editing, move);
    } finally {
      committing.current = false;
    }
  };
  const commitEditNow = async (editing: Editing, move: 'down' | 'right' | 'none') => {
    const s = FIELDS[kind].find((f) => f.field === editing.field) as FieldSpec;
    const parsed: ParseResult = parseInput(kind, s, editing.text);
    if (!parsed.ok) {
      setEditing({ ...editing, error: errorText(t, parsed) });
      return;
    }
    const current = rowAt(editing.index)?.row[editing.field];
    if (JSON.stringify(current ?? null) !== JSON.stringify(parsed.value)) {
      try {
        await update.mutateAsync({ kind, id: editing.id, patch: { [editing.field]: parsed.value } });
      } catch (e) {
        const issue = e instanceof ContractError ? e.issues?.find((i) => i.path.endsWith(editing.field)) : undefined;
        setEditing({ ...editing, error: issue?.message ?? (e as Error).message });
        return;
      }
    }
    setEditing(null);
    scrollRef.current?.focus();
    if (move === 'down') moveTo(editing.index + 1, cursor.col, false);
    if (move === 'right') moveTo(editing.index, cursor.col + 1, false);
  };

  const deleteSelection = async () => {
    const ids = [...selected].filter((id) => {
      for (const rows of loaded.values()) {
        const r = rows.find((x) => x.row.id === id);
        if (r) return !r.state.deleted;
      }
      return true;
    });
    if (!ids.length) return;
    setActionError(null);
    try {
      await remove.mutateAsync({ kind, ids });
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (editing) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 320) / ROW_HEIGHT) - 1);
    const mod = e.ctrlKey || e.metaKey;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(cursor.index + 1, cursor.col, e.shiftKey),
      ArrowUp: () => moveTo(cursor.index - 1, cursor.col, e.shiftKey),
      ArrowRight: () => moveTo(cursor.index, cursor.col + 1, false),
      ArrowLeft: () => moveTo(cursor.index, cursor.col - 1, false),
      PageDown: () => moveTo(cursor.index + page, cursor.col, e.shiftKey),
      PageUp: () => moveTo(cursor.index - page, cursor.col, e.shiftKey),
      Home: () => moveTo(mod ? 0 : cursor.index, mod ? cursor.col : 0, e.shiftKey && mod),
      End: () => moveTo(mod ? rowCount - 1 : cursor.index, mod ? cursor.col : specsShown.length - 1, e.shiftKey && mod),
      ' ': () => void selectAt(cursor.index, 'toggle'),
      Enter: () => {
        const s = specsShown[cursor.col];
        const r = rowAt(cursor.index);
        if (s && !s.readOnly) startEdit(cursor.index, cursor.col);
        else if (r && onOpen) onOpen(r);
      },
      F2: () => startEdit(cursor.index, cursor.col),
      Delete: () => void deleteSelection(),
      Escape: () => setSelected(new Set()),
    };
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      void call('grid.ids', spec).then((r) => setSelected(new Set(r.ids)));
      return;
    }
    if (mod && e.key === 'Enter' && cursorRow && onOpen) {
      e.preventDefault();
      onOpen(cursorRow);
      return;
    }
    const f = keys[e.key];
    if (f && !(mod && e.key.startsWith('Arrow'))) {
      e.preventDefault();
      f();
    }
  };

  const onRowClick = (e: MouseEvent, index: number, col: number) => {
    if (editing && editing.index === index && specsShown[col]?.field === editing.field) return;
    setCursor({ index, col });
    void selectAt(index, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only');
    scrollRef.current?.focus();
  };

  // Rows are memoized (scrolling renders only the rows that come into view): they call back
  // through one stable object whose functions always see this render's state.
  const live = useRef({ onRowClick, startEdit, setCursor, setEditing, commitEdit, onOpen, deleteSelection, focusGrid: () => scrollRef.current?.focus() });
  live.current = { onRowClick, startEdit, setCursor, setEditing, commitEdit, onOpen, deleteSelection, focusGrid: () => scrollRef.current?.focus() };
  const actions = useMemo<RowActions>(
    () => ({
      click: (e, index, col) => live.current.onRowClick(e, index, col),
      dblclick: (index, col) => {
        live.current.setCursor({ index, col });
        live.current.startEdit(index, col);
      },
      open: (r) => live.current.onOpen?.(r),
      change: (ed, text) => live.current.setEditing({ ...ed, text, error: null }),
      commit: (m) => void live.current.commitEdit(m),
      cancel: () => {
        live.current.setEditing(null);
        live.current.focusGrid();
      },
    }),
    [],
  );
  const widthsKey = visibleColumns.map((c) => `${c.id}:${c.getSize()}`).join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the columns' ids and sizes
  const widths = useMemo(() => visibleColumns.map((c) => c.getSize()), [widthsKey]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the columns' ids and sizes
  const specsShownMemo = useMemo(() => specsShown, [widthsKey]);
  const totalWidth = MARKER_WIDTH + widths.reduce((a, b) => a + b, 0);
  const items = virtualizer.getVirtualItems();
  const gridId = `grid-${kind}`;

  // Scrolling re-renders the grid every frame: the toolbar and header only when what they show changes.
  const selectedCount = selected.size;
  const deleting = remove.isPending;
  const toolbar = useMemo(
    () => (
      <div className="grid-toolbar">
        <input
          type="search"
          className="grid-filter"
          aria-label={t('edit.grid.filterLabel')}
          placeholder={t('edit.grid.filterPlaceholder')}
          value={textInput}
          onChange={(e) => setTextInput(e.target.value)}
        />
        <select aria-label={t('edit.grid.stateLabel')} value={stateFilter} onChange={(e) => setStateFilter(e.target.value as GridStateFilter)}>
          {(['all', 'live', 'unposted', 'added', 'edited', 'deleted'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`edit.grid.state.${s}`)}
            </option>
          ))}
        </select>
        <details className="choose-columns">
          <summary>{t('edit.grid.columns')}</summary>
          <fieldset>
            <legend>{t('edit.grid.columnsLegend')}</legend>
            {table.getAllLeafColumns().map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={c.getIsVisible()} onChange={(e) => c.toggleVisibility(e.target.checked)} />
                {t(`edit.field.${fieldLabelKey(c.id)}`)}
              </label>
            ))}
          </fieldset>
        </details>
        <span className="grid-count" data-testid="grid-count" data-count={rowCount} aria-live="polite">
          {selected.size > 0 ? t('edit.grid.selectedOf', { selected: countText(selected.size), total: countText(rowCount) }) : t('edit.grid.rows', { count: rowCount, formatted: countText(rowCount) })}
        </span>
        <button type="button" disabled={selected.size === 0 || remove.isPending} onClick={() => void live.current.deleteSelection()} data-testid="grid-delete">
          {t('edit.grid.delete')}
        </button>
      </div>
    ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the table object is stable; visibility is what its checkboxes show
    [t, textInput, stateFilter, visibility, rowCount, selectedCount, deleting],
  );
  const header = useMemo(
    () => (
        <div role="rowgroup" className="grid-head" style={{ width: totalWidth }}>
          <div role="row" aria-rowindex={1} className="grid-row head">
            <div role="columnheader" className="grid-cell marker-cell" style={{ width: MARKER_WIDTH }}>
              <span className="visually-hidden">{t('edit.grid.markers')}</span>
            </div>
            {visibleColumns.map((c, i) => {
              const sorted = c.getIsSorted();
              return (
                <div
                  key={c.id}
                  role="columnheader"
                  className={`grid-cell ${specsShown[i]?.type === 'money' || specsShown[i]?.type === 'number' ? 'num' : ''}`}
                  style={{ width: widths[i] }}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                  data-field={c.id}
                >
                  <button type="button" className="sort" onClick={c.getToggleSortingHandler()} disabled={!c.getCanSort()}>
                    {t(`edit.field.${fieldLabelKey(c.id)}`)}
                    <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
    ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- columns are keyed by widthsKey; sorting is what the headers show
    [t, sorting, widthsKey, totalWidth],
  );

  return (
    <div className="datagrid" data-kind={kind}>
      {toolbar}
      {(loadError || actionError) && (
        <p role="alert" className="field-error">
          {t('error.generic', { message: actionError ?? (loadError as Error | null)?.message ?? '' })}
        </p>
      )}
      <div
        ref={scrollRef}
        id={gridId}
        className="grid-scroll"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount + 1}
        aria-colcount={specsShown.length + 1}
        aria-multiselectable="true"
        tabIndex={0}
        aria-activedescendant={cursorId ? `${gridId}-c-${cursor.index}-${cursor.col}` : undefined}
        onKeyDown={onKeyDown}
        data-testid="grid-scroll"
      >
        {header}
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
          {items.map((item) => {
            const r = rowAt(item.index);
            const id = r?.row.id as string | undefined;
            return (
              <GridRowView
                key={item.key}
                index={item.index}
                start={item.start}
                r={r}
                selected={id !== undefined && selected.has(id)}
                cursorCol={item.index === cursor.index ? cursor.col : -1}
                editing={editing !== null && editing.index === item.index ? editing : null}
                specs={specsShownMemo}
                widths={widths}
                gridId={gridId}
                drill={!!onOpen && (kind === 'plan' || kind === 'unit')}
                actions={actions}
              />
            );
          })}
        </div>
        {rowCount === 0 && total !== undefined && <p className="hint grid-empty">{t('edit.grid.empty')}</p>}
      </div>
    </div>
  );
}

interface RowActions {
  click: (e: MouseEvent, index: number, col: number) => void;
  dblclick: (index: number, col: number) => void;
  open: (r: GridRow) => void;
  change: (editing: Editing, text: string) => void;
  commit: (move: 'down' | 'right' | 'none') => void;
  cancel: () => void;
}

interface RowViewProps {
  index: number;
  start: number;
  r: GridRow | undefined;
  selected: boolean;
  /** The cursor's column when the cursor is on this row, else -1. */
  cursorCol: number;
  editing: Editing | null;
  specs: FieldSpec[];
  widths: number[];
  gridId: string;
  drill: boolean;
  actions: RowActions;
}

const GridRowView = memo(function GridRowView({ index, start, r, selected, cursorCol, editing, specs, widths, gridId, drill, actions }: RowViewProps) {
  const { t } = useTranslation();
  const id = r?.row.id as string | undefined;
  const cls = ['grid-row', selected ? 'selected' : '', r?.state.unposted ? 'unposted' : '', r?.state.deleted ? 'deleted' : '', cursorCol >= 0 ? 'cursor' : ''].join(' ');
  return (
    <div role="row" aria-rowindex={index + 2} aria-selected={selected} className={cls} data-row-id={id} data-index={index} style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}>
      <div role="gridcell" className="grid-cell marker-cell" style={{ width: MARKER_WIDTH }} onClick={(e) => actions.click(e, index, Math.max(0, cursorCol))}>
        {r && <Marker t={t} state={r.state} />}
        {r && <IssueBadges t={t} issues={r.issues} rowId={id as string} />}
        {r && drill && (
          <button type="button" className="drill" tabIndex={-1} aria-label={t('edit.grid.open')} title={t('edit.grid.open')} onClick={() => actions.open(r)}>
            ›
          </button>
        )}
      </div>
      {specs.map((s, col) => {
        const isEditing = editing !== null && editing.field === s.field;
        const edited = r?.state.editedFields.includes(s.field);
        const hasError = r?.issues.some((i) => i.field === s.field && i.severity === 'error');
        return (
          <div
            key={s.field}
            id={`${gridId}-c-${index}-${col}`}
            role="gridcell"
            data-field={s.field}
            aria-readonly={s.readOnly ? true : undefined}
            className={[
              'grid-cell',
              s.type === 'money' || s.type === 'number' || s.type === 'ratio' ? 'num' : '',
              edited ? 'edited' : '',
              hasError ? 'has-error' : '',
              col === cursorCol ? 'cell-cursor' : '',
            ].join(' ')}
            style={{ width: widths[col] }}
            onClick={(e) => {
              if (!isEditing) actions.click(e, index, col);
            }}
            onDoubleClick={() => actions.dblclick(index, col)}
          >
            {isEditing && editing ? (
              <CellEditor spec={s} editing={editing} onChange={(text) => actions.change(editing, text)} onCommit={actions.commit} onCancel={actions.cancel} />
            ) : r ? (
              cellText(t, s, r.row[s.field])
            ) : (
              <span className="placeholder" aria-hidden="true" />
            )}
          </div>
        );
      })}
    </div>
  );
});

function CellEditor({
  spec,
  editing,
  onChange,
  onCommit,
  onCancel,
}: {
  spec: FieldSpec;
  editing: Editing;
  onChange: (text: string) => void;
  onCommit: (move: 'down' | 'right' | 'none') => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const errId = `cell-error-${editing.id}-${editing.field}`;
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement | HTMLSelectElement>) => {
    e.stopPropagation();
    if (e.key === 'Enter') {
      e.preventDefault();
      onCommit('down');
    } else if (e.key === 'Tab') {
      e.preventDefault();
      onCommit('right');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  };
  const common = {
    autoFocus: true,
    className: 'cell-input',
    'aria-label': t(`edit.field.${spec.label}`),
    'aria-invalid': editing.error ? true : undefined,
    'aria-describedby': editing.error ? errId : undefined,
    onKeyDown,
    'data-testid': 'cell-input',
  } as const;
  return (
    <>
      {spec.type === 'enum' || spec.type === 'bool' ? (
        <select {...common} value={editing.text} onChange={(e) => onChange(e.target.value)} onBlur={() => onCommit('none')}>
          {(spec.type === 'bool' ? ['true', 'false'] : (spec.options ?? [])).map((o) => (
            <option key={o} value={o}>
              {spec.type === 'bool' ? (o === 'true' ? t('edit.grid.yes') : t('edit.grid.no')) : cellText(t, spec, o)}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          value={editing.text}
          inputMode={spec.type === 'money' || spec.type === 'number' || spec.type === 'ratio' ? 'decimal' : undefined}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => {
            if (!editing.error) onCommit('none');
          }}
        />
      )}
      {editing.error && (
        <span id={errId} className="cell-error" role="alert" data-testid="cell-error">
          {editing.error}
        </span>
      )}
    </>
  );
}
