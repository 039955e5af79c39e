import type { Finding } from '../../core/model/index.js';
import { NO_HISTORY, type SubjectHistory } from '../../core/policy/index.js';
import type { FindingRecord, HistoryStore } from '../../ports/index.js';

// What the policy needs to know about earlier attempts. Only subjects with recorded attempts cost a history
// query, so a poll over thousands of healthy findings stays cheap.

const DAY_MS = 24 * 3_600_000;
const COUNTED = new Set(['succeeded', 'already-done', 'no-longer-applies', 'refused', 'failed-permanent', 'failed-transient', 'unverified']);

export async function subjectHistory(history: HistoryStore, finding: Finding, record: FindingRecord | null, now: number): Promise<SubjectHistory> {
  if (record === null) return NO_HISTORY;
  const findingPart = { attempts: record.attempts, lastAttemptAt: record.lastAttemptAt, firstSeenAt: record.firstSeenAt };
  if (finding.remedy === null || record.attempts === 0) return { attemptsLast24h: 0, lastAttemptAt: record.lastAttemptAt, finding: findingPart };
  const page = await history.query({ subjectKey: finding.subject.key, type: 'outcome', since: now - DAY_MS, limit: 200 });
  const attempts = page.items.filter((h) => h.mode === 'enforce' && h.action === finding.remedy?.action && COUNTED.has(h.status));
  const lastAttemptAt = attempts.reduce<number | null>((max, h) => (max === null || h.at > max ? h.at : max), record.lastAttemptAt);
  return { attemptsLast24h: attempts.length, lastAttemptAt, finding: findingPart };
}
