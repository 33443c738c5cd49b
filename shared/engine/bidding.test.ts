import { describe, expect, it } from 'vitest';
import type { Plan, Unit } from '../domain/entities';
import { demoAccount } from '../domain/demo';
import { bestValueEcpm, compileBids } from './bidding';
import { demoMarket } from './market';

const scene = demoMarket().scenes.INTELLIGENT;
const plan: Plan = demoAccount().plans[0]!;
const unit = (over: Partial<Unit>): Unit => ({
  id: 'un_x',
  planId: plan.id,
  name: 'x',
  bidType: 'DEFAULT',
  bidFen: null,
  targetCpaFen: null,
  targetRoi: null,
  ...over,
});

describe('compileBids / bestValueEcpm', () => {
  it('values each bid type as eCPM in fen', () => {
    const cpc = compileBids({ ...plan, chargeType: 'CPC' }, [unit({ bidFen: 100 })], scene);
    expect(bestValueEcpm(cpc, 0.02, 0.1, 0)).toBeCloseTo(100 * 0.02 * 1000);
    const cpm = compileBids({ ...plan, chargeType: 'CPM' }, [unit({ bidFen: 2500 })], scene);
    expect(bestValueEcpm(cpm, 0.02, 0.1, 0)).toBe(2500);
    const ocpx = compileBids(plan, [unit({ bidType: 'OCPX', targetCpaFen: 800 })], scene);
    expect(bestValueEcpm(ocpx, 0.02, 0.1, 0)).toBeCloseTo(800 * 0.02 * 0.1 * 1000);
    const roi = compileBids(plan, [unit({ bidType: 'ROI', targetRoi: 3.5 })], scene);
    expect(bestValueEcpm(roi, 0.02, 0.1, 0)).toBeCloseTo((scene.orderValueFen / 3.5) * 0.02 * 0.1 * 1000);
    const noBid = compileBids(plan, [unit({ bidType: 'NO_BID' })], scene);
    expect(noBid.hasNoBid).toBe(true);
    // at average quality, NO_BID bids exactly the affordable eCPM it is given
    expect(bestValueEcpm(noBid, scene.baseCtr, scene.baseCvr, 700)).toBeCloseTo(700);
    expect(bestValueEcpm(noBid, scene.baseCtr * 2, scene.baseCvr, 700)).toBeCloseTo(1400);
  });

  it('takes the best unit, skips incomplete units and other plans', () => {
    const p = compileBids(
      plan,
      [
        unit({ bidType: 'OCPX', targetCpaFen: 800 }),
        unit({ bidType: 'OCPX', targetCpaFen: 1600 }),
        unit({ bidType: 'OCPX' }), // no target: does not bid
        unit({ bidType: 'DEFAULT' }), // no bid
        unit({ planId: 'pl_other', bidType: 'OCPX', targetCpaFen: 99_999 }),
      ],
      scene,
    );
    expect(p.count).toBe(2);
    expect(bestValueEcpm(p, 0.02, 0.1, 0)).toBeCloseTo(1600 * 0.02 * 0.1 * 1000);
    expect(bestValueEcpm(compileBids(plan, [], scene), 0.02, 0.1, 0)).toBe(0);
  });
});
