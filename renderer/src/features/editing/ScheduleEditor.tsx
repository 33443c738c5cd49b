import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isScheduled, scheduledHours, type TimeSchema } from '../../../../shared/domain/schedule';
import { beginStroke, moveCursor, paint, preset, type Cell, type Stroke } from './scheduleBrush';

const DAYS = [0, 1, 2, 3, 4, 5, 6];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/**
 * The plan's 7×24 schedule (merchant's time zone). Drag with the mouse to paint a rectangle
 * (starting on an "on" hour paints "off"); with the keyboard, arrows move, Space toggles,
 * Shift+arrows paint from where Shift was first held.
 */
export function ScheduleEditor({ value, onChange, id }: { value: TimeSchema; onChange: (v: TimeSchema) => void; id: string }) {
  const { t } = useTranslation();
  const stroke = useRef<Stroke | null>(null);
  const keyStroke = useRef<Stroke | null>(null);
  const [cursor, setCursor] = useState<Cell>({ day: 0, hour: 9 });
  useEffect(() => {
    const end = () => (stroke.current = null);
    window.addEventListener('pointerup', end);
    return () => window.removeEventListener('pointerup', end);
  }, []);
  const dayName = (d: number) => t(`edit.schedule.day.${d}`);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      onChange(paint(beginStroke(value, cursor), cursor));
      return;
    }
    const next = moveCursor(cursor, e.key);
    if (!next) return;
    e.preventDefault();
    if (e.shiftKey) {
      keyStroke.current ??= beginStroke(value, cursor);
      onChange(paint(keyStroke.current, next));
    } else keyStroke.current = null;
    setCursor(next);
  };

  return (
    <div className="schedule" data-testid="schedule-editor">
      <div className="schedule-tools">
        {(['all', 'workHours', 'evenings', 'none'] as const).map((p) => (
          <button key={p} type="button" onClick={() => onChange(preset(p))}>
            {t(`edit.schedule.preset.${p}`)}
          </button>
        ))}
        <span className="hint" data-testid="schedule-hours" data-hours={scheduledHours(value)}>
          {t('edit.schedule.hours', { count: scheduledHours(value) })}
        </span>
      </div>
      <div
        id={id}
        role="grid"
        aria-label={t('edit.schedule.label')}
        aria-describedby={`${id}-help`}
        tabIndex={0}
        className="schedule-grid"
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (e.key === 'Shift') keyStroke.current = null;
        }}
        aria-activedescendant={`${id}-${cursor.day}-${cursor.hour}`}
      >
        <div role="row" className="schedule-row">
          <span role="columnheader" className="schedule-day" />
          {HOURS.map((h) => (
            <span role="columnheader" key={h} className="schedule-hour">
              {h % 3 === 0 ? h : ''}
            </span>
          ))}
        </div>
        {DAYS.map((d) => (
          <div role="row" key={d} className="schedule-row">
            <span role="rowheader" className="schedule-day">
              {dayName(d)}
            </span>
            {HOURS.map((h) => {
              const on = isScheduled(value, d, h);
              return (
                <span
                  key={h}
                  id={`${id}-${d}-${h}`}
                  role="gridcell"
                  aria-selected={on}
                  aria-label={t('edit.schedule.cell', { day: dayName(d), hour: String(h).padStart(2, '0') })}
                  data-day={d}
                  data-hour={h}
                  className={['slot', on ? 'on' : '', cursor.day === d && cursor.hour === h ? 'cursor' : ''].join(' ')}
                  onPointerDown={(e) => {
                    e.preventDefault();
                    stroke.current = beginStroke(value, { day: d, hour: h });
                    setCursor({ day: d, hour: h });
                    onChange(paint(stroke.current, { day: d, hour: h }));
                  }}
                  onPointerEnter={() => {
                    if (stroke.current) onChange(paint(stroke.current, { day: d, hour: h }));
                  }}
                />
              );
            })}
          </div>
        ))}
      </div>
      <p id={`${id}-help`} className="hint">
        {t('edit.schedule.help')}
      </p>
    </div>
  );
}
