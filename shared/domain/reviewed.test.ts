import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRow } from './checks/index';
import { Creative, isReviewedCreativeField, REVIEWED_CREATIVE_FIELDS, type ReviewedCreativeField } from './creative';
import { demoAccount } from './demo';
import { FIELD_REGISTRY } from './fields';
import { ENTITY_KINDS } from './kinds';

const root = path.resolve(import.meta.dirname, '..', '..');
const source = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** A changed value per reviewed field of the demo's cr_latte_card. */
const CHANGES: Record<ReviewedCreativeField, unknown> = {
  template: 'FEED_IMAGE',
  title: '新标题',
  description: 'new description',
  asset: 'https://cdn.example/new.png',
  action: { type: 'H5_LINK', target: 'https://shop.example/new' },
  impressionTrackingUrl: 'https://track.example/i',
  clickTrackingUrl: 'https://track.example/c',
};

describe('the reviewed fields of a creative: one list for client and server', () => {
  it('includes what the ad shows and links to: template, text, asset, action and both tracking URLs', () => {
    expect([...REVIEWED_CREATIVE_FIELDS]).toEqual(['template', 'title', 'description', 'asset', 'action', 'impressionTrackingUrl', 'clickTrackingUrl']);
    for (const f of REVIEWED_CREATIVE_FIELDS) expect(Object.keys(Creative.shape)).toContain(f);
  });

  it('is what the field registry flags `reviewed`, on creatives only', () => {
    expect(FIELD_REGISTRY.creative.filter((d) => d.reviewed).map((d) => d.field).sort()).toEqual([...REVIEWED_CREATIVE_FIELDS].sort());
    for (const kind of ENTITY_KINDS) if (kind !== 'creative') expect(FIELD_REGISTRY[kind].filter((d) => d.reviewed)).toEqual([]);
  });

  it('leaves out only the row’s identity and the review’s own outcome (a new creative field must choose)', () => {
    // A field added to the Creative schema fails here until it is either reviewed or named below.
    expect(FIELD_REGISTRY.creative.filter((d) => !d.reviewed).map((d) => d.field).sort()).toEqual(['id', 'reviewReason', 'reviewStatus', 'unitId']);
  });

  it('is read by the server and the desktop, which keep no list of their own', () => {
    for (const file of ['server/sync.ts', 'electron/core/inspect.ts', 'shared/domain/checks/builtin.ts']) {
      const text = source(file);
      expect(text, file).toMatch(/import \{[^}]*\b(isReviewedCreativeField|REVIEWED_CREATIVE_FIELDS)\b[^}]*\} from '[./]*(shared\/domain\/)?creative'/);
      expect(text, file).not.toMatch(/['"]template['"],\s*['"]title['"]/);
    }
    expect(source('server/sync.ts')).toMatch(/applied\.some\(isReviewedCreativeField\)/);
  });

  it('is what the desktop’s “back to review” warning checks, field by field, with the messages it always had', () => {
    const c = demoAccount().creatives.find((x) => x.id === 'cr_latte_card') as Creative;
    const ctx = { today: '2026-10-01', isNew: false, rules: [], before: c };
    for (const f of REVIEWED_CREATIVE_FIELDS) {
      const issues = checkRow('creative', { ...c, [f]: CHANGES[f] }, ctx).filter((i) => i.code === 'creative.back_to_review');
      expect(issues, f).toEqual([expect.objectContaining({ severity: 'warning', field: f, message: `editing an approved creative (${f}) sends it back to review` })]);
    }
    const two = checkRow('creative', { ...c, title: '新标题', template: 'FEED_IMAGE' }, ctx).find((i) => i.code === 'creative.back_to_review');
    expect(two).toMatchObject({ field: 'template', message: 'editing an approved creative (template, title) sends it back to review' });
    for (const f of ['reviewStatus', 'reviewReason']) expect(isReviewedCreativeField(f)).toBe(false);
  });
});
