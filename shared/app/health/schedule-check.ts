import type { HealthCheck } from './types.js';

// The timer schedules and when they fire next. Azure Functions evaluates NCRONTAB in UTC unless WEBSITE_TIME_ZONE
// is set, which Linux plans such as Flex Consumption do not support ("Timer trigger for Azure Functions", section
// "NCRONTAB time zones", https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-time-zones).
// The expressions were validated when the configuration loaded; the composition root computes the next runs.

export interface ScheduleInfo {
  readonly setting: string;
  readonly function: string;
  readonly expression: string;
  /** The next runs (UTC, ISO 8601). */
  readonly next: readonly string[];
}

export function scheduleCheck(schedules: readonly ScheduleInfo[]): HealthCheck {
  return {
    name: 'schedules',
    status: 'ok',
    detail: schedules.map((s) => `${s.function} "${s.expression}" next ${s.next[0] ?? 'never'}`).join('; '),
    data: {
      timeZone: 'UTC',
      schedules: schedules.map((s) => ({
        setting: s.setting,
        function: s.function,
        expression: s.expression,
        next: [...s.next],
      })),
    },
  };
}
