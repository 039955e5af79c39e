import type { Container } from '../../shared/composition/container.js';
import { FUNCTION_NAMES } from '../../shared/composition/bindings.js';
import type { Route } from './http-bridge.js';
import type { TimerSpec } from './timers.js';

// The Functions app's own triggers, loaded for `serve`. Each trigger module registers itself with the Functions host
// when imported; outside the host, @azure/functions says so on stderr (two "WARNING: … test mode" lines per module).
// That is expected here and would only alarm a reader, so exactly those lines are held back while the modules load.

const HOST_ABSENT = /^WARNING: (Failed to detect the Azure Functions runtime|Skipping call to register function)/;

async function quietly<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && HOST_ABSENT.test(args[0])) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

export interface AppTriggers {
  readonly routes: readonly Route[];
  readonly timers: readonly TimerSpec[];
}

/** Every HTTP route and timer of the Functions app, bound to one container (routes as registered in functions/). */
export async function loadAppTriggers(container: Container): Promise<AppTriggers> {
  const get = () => Promise.resolve(container);
  const m = await quietly(async () => ({
    health: await import('../../functions/http-health.js'),
    sweep: await import('../../functions/http-sweep.js'),
    history: await import('../../functions/http-history.js'),
    report: await import('../../functions/http-report-latest.js'),
    dashboard: await import('../../functions/http-dashboard.js'),
    device: await import('../../functions/http-device.js'),
    approvals: await import('../../functions/http-approvals.js'),
    poll: await import('../../functions/poll.js'),
    compliance: await import('../../functions/compliance-sweep.js'),
  }));
  const env = container.config.env;
  return {
    routes: [
      { name: FUNCTION_NAMES.health, methods: ['GET'], route: 'health', handler: m.health.makeHealthHandler(get) },
      { name: FUNCTION_NAMES.sweepNow, methods: ['POST'], route: 'sweep', handler: m.sweep.makeSweepHandler(get) },
      { name: FUNCTION_NAMES.history, methods: ['GET'], route: 'history', handler: m.history.makeHistoryHandler(get) },
      {
        name: FUNCTION_NAMES.reportLatest,
        methods: ['GET'],
        route: 'report/latest',
        handler: m.report.makeReportLatestHandler(get),
      },
      {
        name: FUNCTION_NAMES.dashboard,
        methods: ['GET'],
        route: 'dashboard',
        handler: m.dashboard.makeDashboardHandler(get),
      },
      {
        name: FUNCTION_NAMES.device,
        methods: ['GET'],
        route: 'devices/{key}',
        handler: m.device.makeDeviceHandler(get),
      },
      {
        name: FUNCTION_NAMES.approval,
        methods: ['GET', 'POST'],
        route: 'approvals/{id}',
        handler: m.approvals.makeApprovalHandler(get),
      },
    ],
    timers: [
      { name: FUNCTION_NAMES.poll, schedule: env.POLL_SCHEDULE, handler: m.poll.makePollHandler(get) },
      {
        name: FUNCTION_NAMES.complianceSweep,
        schedule: env.COMPLIANCE_SCHEDULE,
        handler: m.compliance.makeComplianceHandler(get),
      },
    ],
  };
}
