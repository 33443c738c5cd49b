import { useTranslation } from 'react-i18next';
import type { CheckIssue } from '../../../shared/domain/checks';

/**
 * The store words its checks in English with the numbers in them. In English that message is
 * shown as is; in Chinese the check's code picks a translated sentence and the store's message
 * follows as the detail (it carries the exact limits).
 */
export function IssueText({ issue }: { issue: CheckIssue }) {
  const { t, i18n } = useTranslation();
  if (!i18n.language.startsWith('zh')) return <span className="issue-text">{issue.message}</span>;
  const key = issue.code.startsWith('rule:') ? 'checks.code.rule' : `checks.code.${issue.code.replace('.', '_')}`;
  const known = i18n.exists(key);
  return (
    <span className="issue-text">
      {known ? t(key) : issue.message}
      {known && <span className="muted"> ({issue.message})</span>}
    </span>
  );
}
