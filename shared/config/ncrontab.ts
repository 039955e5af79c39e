import { CronExpressionParser } from 'cron-parser';

// Azure Functions timer schedules (POLL_SCHEDULE, COMPLIANCE_SCHEDULE) are NCRONTAB expressions of six fields,
// seconds first: `{second} {minute} {hour} {day} {month} {day-of-week}`, evaluated in UTC unless the app sets
// WEBSITE_TIME_ZONE ("Timer trigger for Azure Functions", section "NCRONTAB expressions",
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions).
// A value the host cannot parse stops the timer function from being indexed, so it is refused here, at load,
// naming the key. cron-parser checks every field's range; it also accepts Quartz extensions (L, W, #, ?, H) and
// five-field expressions that NCRONTAB does not, so those are refused before it is asked.
//
// The same page allows a TimeSpan ("hh:mm:ss") schedule only on an App Service plan. autopilot-medic deploys to
// Flex Consumption, where TimeSpan schedules are not supported, so a TimeSpan is refused with that reason.

const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;
const FIELD = /^[0-9A-Za-z*,/-]+$/;
const TIMESPAN = /^\d{1,2}:\d{2}(:\d{2})?$/;

/** Why `expression` is not a six-field NCRONTAB expression, or null when it is. */
export function ncrontabProblem(expression: string): string | null {
  const text = expression.trim();
  if (TIMESPAN.test(text)) {
    return 'a TimeSpan schedule ("hh:mm:ss") runs only on an App Service plan; use a six-field NCRONTAB expression, e.g. "0 */5 * * * *"';
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    return `expected a six-field NCRONTAB expression "{second} {minute} {hour} {day} {month} {day-of-week}" (got ${fields.length} fields), e.g. "0 */5 * * * *"`;
  }
  for (const f of fields) {
    const words = f.match(/[A-Za-z]+/g) ?? [];
    if (!FIELD.test(f) || words.some((w) => !NAMES.test(w)))
      return `field "${f}" is not NCRONTAB: use numbers, *, ranges (a-b), lists (a,b), steps (/n) and month or day names`;
  }
  try {
    CronExpressionParser.parse(text, { tz: 'UTC' });
    return null;
  } catch (err) {
    return `not a valid NCRONTAB expression: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The next `count` run times (UTC, ISO 8601) strictly after `fromMs`, for an expression `ncrontabProblem` accepted. */
export function nextRuns(expression: string, fromMs: number, count: number): string[] {
  const it = CronExpressionParser.parse(expression.trim(), { currentDate: new Date(fromMs), tz: 'UTC' });
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const d = it.next().toISOString();
    if (d === null) break;
    out.push(d);
  }
  return out;
}
