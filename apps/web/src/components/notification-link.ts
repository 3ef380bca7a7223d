/** What a notification says it is about (the API's subject and the path it wrote for external channels). */
export interface NotificationSubject {
  subjectType?: string | null;
  subjectId?: string | null;
  link?: string | null;
}

/**
 * The page of the web app a notification opens, or null when the app has no page for it yet (it is then only
 * marked read). The subject decides, not the API's `link`: that path was written for robot messages, and the
 * routes `/assignments/:id` and `/supervision-notices/:id` forward such links to the page that shows them.
 */
export function notificationPath(n: NotificationSubject): string | null {
  if (n.subjectId) {
    switch (n.subjectType) {
      case 'Assignment':
        return `/tasks/${n.subjectId}`;
      case 'ApprovalRequest':
        return `/approvals/${n.subjectId}`;
      case 'SupervisionNotice':
        // The notice is answered on its share's page; this route finds the share.
        return `/supervision-notices/${n.subjectId}`;
    }
  }
  // The daily digest points at the home page (我的任务 for a unit).
  return n.link === '/' ? '/' : null;
}
