import { describe, expect, it } from 'vitest';
import { noticeAfter } from './coreStatus';

describe('core status notice', () => {
  it('shows a restart, keeps a failure shown, and ignores other events', () => {
    expect(noticeAfter(null, { type: 'core.restarted' })).toBe('restarted');
    expect(noticeAfter('restarted', { type: 'core.failed' })).toBe('failed');
    expect(noticeAfter('failed', { type: 'core.restarted' })).toBe('failed');
    expect(noticeAfter('restarted', { type: 'journal.changed', entity: '*', entityId: '*' })).toBe('restarted');
    expect(noticeAfter(null, { type: 'journal.changed', entity: '*', entityId: '*' })).toBe(null);
  });
});
