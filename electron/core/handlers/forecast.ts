import { ContractError } from '../../../shared/contract/errors';
import type { forecastMethods } from '../../../shared/contract/forecast';
import type { ForecastResult, LandscapeResult } from '../../../shared/engine';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreContext } from '../context';
import { EnginePool } from '../engine/pool';
import { forecastInputs, toEstimate } from '../forecast/requests';
import { rowState } from '../store/planRows';
import type { AreaHandlers } from './types';

export function forecastHandlers(ctx: CoreContext): AreaHandlers<typeof forecastMethods> {
  const { journal, emit, options } = ctx;
  const workerFile = options.engineWorkerFile ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-worker.js');
  let pool: EnginePool | undefined; // started on the first forecast: start-up stays fast
  const enginePool = () => (pool ??= new EnginePool(workerFile));
  const inflightForecasts = new Map<string, () => void>();
  const inputs = forecastInputs({ ...ctx, ...(options.today ? { today: options.today } : {}) });
  ctx.onClose(async () => {
    for (const cancel of inflightForecasts.values()) cancel();
    await pool?.close();
  });
  return {
    'forecast.run': async ({ planId, days, seed, withPlanIds, unitIds, whatIf, pacer, asPosted, requestId }) => {
      const request = { ...inputs.request(planId, withPlanIds, days, seed, whatIf, unitIds, asPosted), pacer };
      // A newer forecast of the same plan supersedes the one still running (the as-posted one of
      // a compare runs beside it).
      const slot = asPosted ? `${planId}:posted` : planId;
      inflightForecasts.get(slot)?.();
      const tag = requestId ? { requestId } : {};
      const job = enginePool().run<ForecastResult>(
        { kind: 'forecast', request, firstEstimate: true },
        {
          onProgress: (done, total) => emit({ type: 'forecast.progress', planId, done, total, ...tag }),
          onEstimate: (e) => emit({ type: 'forecast.progress', planId, done: 0, total: e.hours, estimate: toEstimate(e), ...tag }),
        },
      );
      inflightForecasts.set(slot, job.cancel);
      try {
        const result = await job.result;
        return { ...result, planId, asPosted, includesUnposted: !asPosted && rowState(journal.pendingByEntity(), planId).unposted };
      } finally {
        if (inflightForecasts.get(slot) === job.cancel) inflightForecasts.delete(slot);
      }
    },
    'forecast.landscape': async ({ planId, days, seed, multipliers }) => {
      const request = inputs.request(planId, [], days, seed);
      const job = enginePool().run<LandscapeResult>({ kind: 'landscape', request: multipliers ? { ...request, multipliers } : request });
      return { ...(await job.result), planId };
    },
    'forecast.diagnose': async ({ planId, days, seed }) => {
      const result = await enginePool().run<ForecastResult>({ kind: 'diagnose', request: inputs.request(planId, [], days, seed) }).result;
      const plan = result.perPlan.find((p) => p.planId === planId);
      if (!plan) throw new ContractError('internal', 'the engine returned no result for the plan');
      return { planId, days, diagnosis: plan.diagnosis, plan, confidence: result.confidence, marketVersion: result.marketVersion };
    },
  };
}
