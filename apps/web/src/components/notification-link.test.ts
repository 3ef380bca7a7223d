import { describe, expect, it } from 'vitest';
import { notificationPath } from './notification-link';

const id = '7f0c2a52-5d0e-4a8e-9a51-0c6f7b0e1d2a';

describe('notificationPath', () => {
  it('opens a share on its page in 我的任务', () => {
    expect(notificationPath({ subjectType: 'Assignment', subjectId: id, link: `/assignments/${id}` })).toBe(
      `/tasks/${id}`,
    );
  });

  it('opens an approval on its request page', () => {
    expect(
      notificationPath({ subjectType: 'ApprovalRequest', subjectId: id, link: `/approvals/${id}` }),
    ).toBe(`/approvals/${id}`);
  });

  it('sends a 督办单 to the route that finds its share', () => {
    expect(notificationPath({ subjectType: 'SupervisionNotice', subjectId: id })).toBe(
      `/supervision-notices/${id}`,
    );
  });

  it('opens the home page for the daily digest', () => {
    expect(notificationPath({ subjectType: null, subjectId: null, link: '/' })).toBe('/');
  });

  it('has no target for what the app has no page for yet, or an unknown subject', () => {
    expect(
      notificationPath({ subjectType: null, subjectId: null, link: '/reports/missing?period=2026-11' }),
    ).toBe(null);
    expect(notificationPath({ subjectType: 'Bulletin', subjectId: id, link: `/bulletins/${id}` })).toBe(null);
    expect(notificationPath({ subjectType: 'Assignment', subjectId: null, link: null })).toBe(null);
  });
});
