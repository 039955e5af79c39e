import { afterEach, describe, expect, it } from 'vitest';
import { TeamsWorkflowSink, WebhookSink } from '../../../shared/adapters/alerts/index.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { AlertDispatcher, type AlertChannel, buildRunAlerts } from '../../../shared/app/alerting/index.js';
import { findingOpenedAlert, findingResolvedAlert, TEAMS_MAX_BYTES } from '../../../shared/core/alerts/index.js';
import type { Alert, Severity } from '../../../shared/core/model/index.js';
import type { AlertSink, Stores } from '../../../shared/ports/index.js';
import { validateTeamsPayload } from '../../support/adaptive-cards.js';
import { catalog, ctx, deviceFinding, NOW, PORTAL } from '../../unit/core/alerts/fixtures.js';
import { CapturingLogger, closedPortUrl, noSleep, type Receiver, startReceiver } from './receiver.js';

const SECRET = 'dispatch-secret-0123456789abcdef';
const HOUR = 3_600_000;
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver(() => ({ status: 202 }));
  receivers.push(r);
  return r;
}

interface Rig {
  readonly dispatcher: AlertDispatcher;
  readonly stores: Stores;
  readonly logger: CapturingLogger;
  readonly clock: { t: number; now(): number };
}

function rig(channels: (logger: CapturingLogger) => AlertChannel[], stores: Stores = createMemoryStores()): Rig {
  const logger = new CapturingLogger();
  const clock = { t: NOW, now: () => clock.t };
  const dispatcher = new AlertDispatcher({
    channels: channels(logger),
    alertState: stores.alerts,
    history: stores.history,
    clock,
    logger,
    cooldownMs: 6 * HOUR,
  });
  return { dispatcher, stores, logger, clock };
}

const teams = (url: string, minSeverity: Severity, logger: CapturingLogger): AlertChannel => ({
  sink: new TeamsWorkflowSink(url, { logger, sleep: noSleep, baseDelayMs: 10, portalUrl: PORTAL }),
  minSeverity,
});
const webhook = (url: string, minSeverity: Severity, logger: CapturingLogger): AlertChannel => ({
  sink: new WebhookSink(url, SECRET, { logger, sleep: noSleep }),
  minSeverity,
});
const opened = (at: number): Alert => findingOpenedAlert(ctx({ at }), deviceFinding(1));

async function alertHistory(stores: Stores) {
  return (await stores.history.query({ type: 'alert', limit: 100 })).items;
}

describe('AlertDispatcher', () => {
  it('alerts once for the same finding on three consecutive dispatches, and once for its resolution', async () => {
    const [t, w] = [await receiver(), await receiver()];
    const r = rig((l) => [teams(t.url, 'info', l), webhook(w.url, 'info', l)]);
    for (let poll = 0; poll < 3; poll++) {
      r.clock.t = NOW + poll * 5 * 60_000;
      await r.dispatcher.dispatch([opened(r.clock.t)]);
    }
    for (let poll = 3; poll < 5; poll++) {
      r.clock.t = NOW + poll * 5 * 60_000;
      await r.dispatcher.dispatch([findingResolvedAlert(ctx({ at: r.clock.t }), deviceFinding(1))]);
    }
    expect(t.requests).toHaveLength(2);
    expect(w.requests.map((q) => (JSON.parse(q.body) as { eventType: string }).eventType)).toEqual([
      'finding.opened',
      'finding.resolved',
    ]);
    const history = await alertHistory(r.stores);
    expect(history).toHaveLength(4);
    expect(history.every((h) => h.status === 'delivered' && h.subjectKey === 'SN-00001')).toBe(true);
    // The state lives in the alerts table, so a second instance (or a restart) sharing it stays quiet too.
    const other = rig((l) => [teams(t.url, 'info', l)], r.stores);
    other.clock.t = r.clock.t + 60_000;
    expect((await other.dispatcher.dispatch([opened(other.clock.t)])).suppressed).toBe(1);
    expect(t.requests).toHaveLength(2);
  });

  it('alerts again once the cooldown window has passed', async () => {
    const t = await receiver();
    const r = rig((l) => [teams(t.url, 'info', l)]);
    await r.dispatcher.dispatch([opened(NOW)]);
    r.clock.t = NOW + 6 * HOUR + 1;
    await r.dispatcher.dispatch([opened(r.clock.t)]);
    expect(t.requests).toHaveLength(2);
  });

  it('routes by severity per channel', async () => {
    const [t, w] = [await receiver(), await receiver()];
    const r = rig((l) => [teams(t.url, 'error', l), webhook(w.url, 'info', l)]);
    const warning = findingOpenedAlert(ctx(), deviceFinding(1, { severity: 'warning' }));
    const critical = findingOpenedAlert(ctx(), deviceFinding(2, { severity: 'critical' }));
    const report = await r.dispatcher.dispatch([warning, critical]);
    expect(t.requests).toHaveLength(1);
    expect(w.requests).toHaveLength(2);
    expect(report.entries).toContainEqual({
      channel: 'teams',
      dedupeKey: 'fp-1',
      outcome: 'below-min-severity',
      status: 'error',
    });
  });

  it('sends one digest card instead of one message per device above the threshold', async () => {
    const t = await receiver();
    const r = rig((l) => [teams(t.url, 'info', l)]);
    const devices = Array.from({ length: 40 }, (_, i) => deviceFinding(i, { remedy: null }));
    const alerts = buildRunAlerts(
      {
        opened: devices,
        needsPerson: new Set(devices.map((d) => d.fingerprint)),
        queuedForRemediation: 0,
        resolvedAfterRemediation: [],
        resolvedOnTheirOwn: 0,
        escalations: [],
        blastRadius: null,
        runId: 'poll:1',
        tenant: 'contoso',
        now: NOW,
      },
      { catalog, portalUrl: PORTAL, digestThreshold: 5 },
    );
    await r.dispatcher.dispatch(alerts, { runId: 'poll:1' });
    expect(t.requests).toHaveLength(1);
    const body = t.requests[0]!.body;
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(validateTeamsPayload(JSON.parse(body))).toEqual([]);
    expect(body).toContain('Needs a person (40)');
    const [row] = await alertHistory(r.stores);
    expect(row).toMatchObject({ subjectKey: 'tenant', runId: 'poll:1', idempotencyKey: 'digest:poll:1' });
  });

  it('records a down receiver as a failure, quickly, without throwing, and retries that key later', async () => {
    const w = await receiver();
    const down = await closedPortUrl();
    const r = rig((l) => [teams(down, 'info', l), webhook(w.url, 'info', l)]);
    const started = Date.now();
    const report = await r.dispatcher.dispatch([opened(NOW)]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report).toMatchObject({ delivered: 1, failed: 1 });
    const rows = await alertHistory(r.stores);
    expect(rows.map((h) => [h.reason, h.status, h.attempt]).sort()).toEqual([
      ['finding via teams: network-error:ECONNREFUSED', 'failed', 4],
      ['finding via webhook: http-202', 'delivered', 1],
    ]);
    // Within the retry delay the failed key stays quiet; after it, only the failed channel tries again.
    r.clock.t = NOW + 5 * 60_000;
    expect((await r.dispatcher.dispatch([opened(r.clock.t)])).suppressed).toBe(2);
    r.clock.t = NOW + 16 * 60_000;
    const retry = await r.dispatcher.dispatch([opened(r.clock.t)]);
    expect(retry.entries.map((e) => [e.channel, e.outcome])).toEqual([
      ['teams', 'failed'],
      ['webhook', 'suppressed'],
    ]);
    expect(w.requests).toHaveLength(1);
  });

  it('never throws, even when a sink breaks its contract and the history store is down', async () => {
    const throwing: AlertSink = { channel: 'broken', send: () => Promise.reject(new Error('boom')) };
    const stores = createMemoryStores();
    const history = { ...stores.history, append: () => Promise.reject(new Error('table down')) };
    const r = rig(() => [{ sink: throwing, minSeverity: 'info' }], { ...stores, history });
    const report = await r.dispatcher.dispatch([opened(NOW)]);
    expect(report.entries).toEqual([{ channel: 'broken', dedupeKey: 'fp-1', outcome: 'failed', status: 'sink-threw' }]);
    expect(r.logger.lines.some((l) => l.includes('alert.dispatch.history-not-recorded'))).toBe(true);
  });

  it('works as the one AlertSink the remediation worker takes', async () => {
    const [t, w] = [await receiver(), await receiver()];
    const r = rig((l) => [teams(t.url, 'error', l), webhook(w.url, 'info', l)]);
    const warn = findingOpenedAlert(ctx(), deviceFinding(1, { severity: 'warning' }));
    expect(await r.dispatcher.send(warn)).toEqual({
      channel: 'dispatcher',
      delivered: true,
      status: 'teams=below-min-severity,webhook=http-202',
    });
    expect(await r.dispatcher.send(warn)).toMatchObject({
      delivered: true,
      status: 'teams=below-min-severity,webhook=suppressed',
    });
  });

  it('never writes a webhook URL, its signature or the secret to a log line or the history', async () => {
    const ok = await startReceiver((n) => (n === 1 ? { status: 500, body: 'try again' } : { status: 202 }));
    const echo = await startReceiver((_, req) => ({ status: 403, body: `forbidden: ${req.url}` }));
    receivers.push(ok, echo);
    const down = await closedPortUrl();
    const r = rig((l) => [
      teams(ok.url, 'info', l),
      webhook(echo.url, 'info', l),
      {
        ...teams(down, 'info', l),
        sink: new TeamsWorkflowSink(down, { logger: l, channel: 'teams-2', baseDelayMs: 5 }),
      },
    ]);
    const many = Array.from({ length: 3 }, (_, i) => findingOpenedAlert(ctx(), deviceFinding(i)));
    await r.dispatcher.dispatch(many);
    const stored = JSON.stringify(await alertHistory(r.stores));
    expect(r.logger.lines.length).toBeGreaterThan(5);
    for (const secret of [
      ok.url,
      ok.signature,
      echo.url,
      echo.signature,
      down,
      'closedPortSignature',
      SECRET,
      '/workflows/0c5d8a9f',
    ]) {
      for (const line of r.logger.lines) expect(line).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  });
});
