import type { DiagnoseOutput } from '../../../../shared/contract';
import { REASONS } from '../../../../shared/engine/sim';

type Diagnosis = DiagnoseOutput['diagnosis'];

/**
 * The reason that stops the requests that got furthest: the engine checks reasons in order
 * (schedule … placement, then cap, review, budget, rank, reserve), so the last reason with losses
 * is what blocks the otherwise eligible traffic. With no wins, that is the answer to "why not".
 */
export function blockingReason(d: Diagnosis): keyof Diagnosis['lost'] | null {
  for (let i = REASONS.length - 1; i >= 0; i--) if ((d.lost[REASONS[i]!] ?? 0) > 0) return REASONS[i]!;
  return null;
}

