// Shared set-up for the HTTP trigger tests: the tenant simulator (demo scenario) over real HTTP on 127.0.0.1,
// a real container built from config with in-memory stores, installed as the host container, and real
// HttpRequest / InvocationContext objects from @azure/functions.
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';

import { createMemoryStores } from '../../shared/adapters/inprocess/memory-stores.js';
import { silentLogger } from '../../shared/adapters/logging/loggers.js';
import { buildContainer, type Container } from '../../shared/composition/container.js';
import { setHostContainerForTests } from '../../shared/composition/host.js';
import { loadConfig } from '../../shared/config/index.js';
import type { Stores } from '../../shared/ports/index.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/index.js';

/** The demo scenario's device-preparation group and its policy (sim/scenarios/demo.json). */
export const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
export const DEMO_POLICY = 'Contoso Win11 device preparation';
export const DEMO_POLICY_ID = '7a000000-0000-4000-8000-000000000001';

export interface Harness {
  readonly sim: Simulator;
  readonly container: Container;
  /** Stop the simulator now (Graph stops answering); `stop` then leaves it alone. */
  stopSim(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  env: Readonly<Record<string, string>> = {},
  /** install: false leaves the host container alone (a second harness beside the installed one). */
  opts: { readonly sim?: SimulatorOptions; readonly stores?: Stores; readonly install?: boolean } = {},
): Promise<Harness> {
  const sim = await startSimulator({ scenario: 'demo', port: 0, ...opts.sim });
  const config = loadConfig({
    GRAPH_BASE_URL: sim.url,
    GRAPH_TOKEN: sim.token,
    TENANT_NAME: 'contoso-demo',
    DEVICE_PREP_GROUPS: JSON.stringify([{ groupId: DEMO_GROUP, policyName: DEMO_POLICY, policyId: DEMO_POLICY_ID }]),
    GRAPH_MAX_RETRIES: '0',
    ...env,
  });
  const container = await buildContainer(config, {
    logger: silentLogger,
    stores: opts.stores ?? createMemoryStores(),
    storageFallback: 'memory',
    clock: { now: () => sim.clock.nowMs() },
    // Export-job polling and retry back-off take no real time in tests.
    graph: { sleep: () => Promise.resolve() },
  });
  const install = opts.install ?? true;
  if (install) setHostContainerForTests(container);
  let simRunning = true;
  const stopSim = async () => {
    if (simRunning) await sim.stop();
    simRunning = false;
  };
  return {
    sim,
    container,
    stopSim,
    stop: async () => {
      if (install) setHostContainerForTests(null);
      await container.dispose();
      await stopSim();
    },
  };
}

export interface LogLine {
  readonly level: string;
  readonly args: readonly unknown[];
}

let invocations = 0;

export function invocation(functionName: string): { ctx: InvocationContext; logs: LogLine[] } {
  const logs: LogLine[] = [];
  invocations += 1;
  const ctx = new InvocationContext({
    invocationId: `inv-${invocations}`,
    functionName,
    logHandler: (level, ...args) => void logs.push({ level, args }),
  });
  return { ctx, logs };
}

/** A request as the host hands it over; the query string stays in the URL, as in production. */
export function httpRequest(method: 'GET' | 'POST', route: string, query = '', body?: string): HttpRequest {
  return new HttpRequest({
    method,
    url: `http://127.0.0.1:7071/api/${route}${query ? `?${query}` : ''}`,
    headers: { 'x-functions-key': 'test-key' },
    ...(body !== undefined ? { body: { string: body } } : {}),
  });
}

/** The response body as JSON, whether the handler set jsonBody or a JSON string body. */
export function jsonOf(res: HttpResponseInit): Record<string, unknown> {
  if (res.jsonBody !== undefined) return JSON.parse(JSON.stringify(res.jsonBody)) as Record<string, unknown>;
  if (typeof res.body === 'string') return JSON.parse(res.body) as Record<string, unknown>;
  throw new Error('response has no JSON body');
}

export function header(res: HttpResponseInit, name: string): string | null {
  return new Headers(res.headers).get(name);
}

/** Tenant writes the simulator received (batch envelopes and items both count). */
export function tenantWrites(sim: Simulator): { method: string; path: string }[] {
  return (
    sim
      .requests()
      // A $batch envelope is not a write by itself: its items are logged as entries of their own.
      .filter((r) => !r.path.endsWith('/$batch'))
      // retrieveEnrollmentTimeDeviceMembershipTarget is a POST that only reads the device preparation policy's group.
      .filter((r) => !r.path.endsWith('/retrieveEnrollmentTimeDeviceMembershipTarget'))
      .filter((r) => ['POST', 'PATCH', 'DELETE', 'PUT'].includes(r.method.toUpperCase()) || r.kind === 'write')
      .map((r) => ({ method: r.method, path: r.path }))
  );
}
