import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig, ncrontabProblem, nextRuns } from '../../../shared/config/index.js';

function scheduleProblems(env: Record<string, string>): { key: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.filter((p) => p.key.endsWith('_SCHEDULE'));
    throw err;
  }
  return [];
}

describe('NCRONTAB schedules', () => {
  it('accepts the documented six-field forms, names included', () => {
    for (const e of [
      '0 */5 * * * *',
      '0 30 5 * * *',
      '0 0 9-17 * * *',
      '0 30 9 * Jan Mon',
      '0 30 9 * * 1-5',
      '*/30 * * * * *',
    ]) {
      expect(ncrontabProblem(e), e).toBeNull();
    }
    expect(scheduleProblems({ POLL_SCHEDULE: '0 */10 * * * *', COMPLIANCE_SCHEDULE: '0 0 6 * * Mon-Fri' })).toEqual([]);
  });

  it('refuses an out-of-range minute, free text, five fields, Quartz extensions and TimeSpan, naming the key', () => {
    const problems = scheduleProblems({ POLL_SCHEDULE: '0 61 * * * *', COMPLIANCE_SCHEDULE: 'every day at six' });
    expect(problems.map((p) => p.key).sort()).toEqual(['COMPLIANCE_SCHEDULE', 'POLL_SCHEDULE']);
    expect(problems.find((p) => p.key === 'POLL_SCHEDULE')?.message).toMatch(/61/);
    expect(ncrontabProblem('every five minutes  ok now')).not.toBeNull(); // six words, none a field
    expect(ncrontabProblem('*/5 * * * *')).toMatch(/six-field/);
    expect(ncrontabProblem('0 0 0 L * *')).toMatch(/not NCRONTAB/);
    expect(ncrontabProblem('0 0 0 ? * *')).toMatch(/not NCRONTAB/);
    expect(ncrontabProblem('0 0 12 * * 5#2')).toMatch(/not NCRONTAB/);
    expect(ncrontabProblem('00:05:00')).toMatch(/App Service plan/);
    expect(ncrontabProblem('0 0 25 * * *')).toMatch(/25/);
  });

  it('computes the next three runs in UTC, strictly after the given time', () => {
    const from = Date.parse('2026-12-03T17:04:59Z');
    expect(nextRuns('0 */5 * * * *', from, 3)).toEqual([
      '2026-12-03T17:05:00.000Z',
      '2026-12-03T17:10:00.000Z',
      '2026-12-03T17:15:00.000Z',
    ]);
    expect(nextRuns('0 30 5 * * *', Date.parse('2026-12-03T05:30:00Z'), 3)).toEqual([
      '2026-12-04T05:30:00.000Z',
      '2026-12-05T05:30:00.000Z',
      '2026-12-06T05:30:00.000Z',
    ]);
  });
});
