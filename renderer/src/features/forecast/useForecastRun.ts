import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ContractError, type ForecastEstimate, type ForecastOutput, type WhatIf } from '../../../../shared/contract';
import { call } from '../../api/call';
import { onForecastProgress, useJournalRevision } from './forecastEvents';
import { fromEstimate, fromRefined, type ForecastView } from './model';

export interface RunInput {
  planId: string;
  days: number;
  unitIds?: string[];
  whatIf?: WhatIf;
  asPosted?: boolean;
}

let nextRequest = 0;

const sameInput = (a: RunInput | null, b: RunInput | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One forecast on screen. Changing the input starts a new run; the core cancels the one it
 * supersedes. While a run refines, the engine's fast first estimate (a progress event tagged with
 * this run's request id) is drawn over the last refined forecast. While one estimate is still
 * coming, newer inputs wait and only the latest is sent, so a fast drag never queues dozens of
 * runs behind each other.
 */
export function useForecastRun(input: RunInput | null) {
  const [requested, setRequested] = useState<RunInput | null>(input);
  const [waiting, setWaiting] = useState(false);
  const [currentId, setCurrentId] = useState<string | null>(null);
  /** The run in flight: its request id and the query key it answers. */
  const current = useRef<{ id: string; key: string } | null>(null);
  const [estimate, setEstimate] = useState<{ key: string; estimate: ForecastEstimate } | null>(null);
  const [progress, setProgress] = useState<{ id: string; done: number; total: number } | null>(null);

  // The newest input goes out as soon as no estimate is awaited (state adjusted during render).
  if (!waiting && !sameInput(requested, input)) setRequested(input);

  useEffect(
    () =>
      onForecastProgress((e) => {
        const run = current.current;
        if (!e.requestId || e.requestId !== run?.id) return;
        setProgress({ id: e.requestId, done: e.done, total: e.total });
        if (e.estimate) {
          // For the ui bench: splits engine + transport time from drawing time.
          performance.mark('lantern:forecast-estimate');
          setEstimate({ key: run.key, estimate: e.estimate });
          setWaiting(false);
        }
      }),
    [],
  );

  const revision = useJournalRevision();
  const key = JSON.stringify([requested, revision]);
  const query = useQuery({
    queryKey: ['forecast', 'run', requested, revision],
    enabled: requested !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    retry: false,
    queryFn: async (): Promise<ForecastOutput> => {
      const r = requested as RunInput;
      const requestId = `fc-${++nextRequest}`;
      current.current = { id: requestId, key };
      setCurrentId(requestId);
      setWaiting(true);
      try {
        // The core cancels a plan's running forecast when another starts for it. Superseded by
        // this screen's own newer input: let it go. Cancelled from elsewhere (another window, a
        // script on the contract) while still the input on screen: run it again, a bounded number
        // of times, rather than leave the view blank.
        for (let attempt = 0; ; attempt++) {
          try {
            return await call('forecast.run', { ...r, requestId });
          } catch (e) {
            const externallyCancelled = e instanceof ContractError && e.code === 'cancelled' && current.current?.id === requestId;
            if (!externallyCancelled || attempt >= 2) throw e;
          }
        }
      } finally {
        if (current.current?.id === requestId) setWaiting(false);
      }
    },
  });

  const cancelled = query.error instanceof ContractError && query.error.code === 'cancelled';
  const refined = query.data ?? null;
  // Only an estimate of exactly these inputs: never the last drag position's over a new one.
  const fresh = estimate && estimate.key === key && query.isFetching ? estimate.estimate : null;
  // One object per (refined, estimate): charts redraw when the figures change, not on every render.
  const view = useMemo<ForecastView | null>(() => (refined && fresh ? fromEstimate(fresh, refined) : refined ? fromRefined(refined) : null), [refined, fresh]);
  return {
    view,
    refined,
    isFetching: query.isFetching || !sameInput(input, requested),
    isPlaceholder: query.isPlaceholderData,
    progress: progress && progress.id === currentId && query.isFetching ? progress : null,
    error: cancelled ? null : query.error,
    refetch: () => void query.refetch(),
  };
}
