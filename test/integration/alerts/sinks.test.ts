import { afterEach, describe, expect, it } from 'vitest';
import { TeamsWorkflowSink, WebhookSink } from '../../../shared/adapters/alerts/index.js';
import { Webhook } from 'standardwebhooks';

import { findingOpenedAlert, type WebhookEvent } from '../../../shared/core/alerts/index.js';
import { validateTeamsPayload } from '../../support/adaptive-cards.js';
import { ctx, deviceFinding } from '../../unit/core/alerts/fixtures.js';
import { CapturingLogger, closedPortUrl, noSleep, type Receiver, startReceiver } from './receiver.js';

const SECRET = 'integration-secret-0123456789abcdef';
const alert = findingOpenedAlert(ctx(), deviceFinding(1));
let receiver: Receiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

function expectNoSecrets(logger: CapturingLogger, ...secrets: string[]): void {
  expect(logger.lines.length).toBeGreaterThan(0);
  for (const line of logger.lines) for (const s of secrets) expect(line).not.toContain(s);
}

describe('TeamsWorkflowSink against a local receiver', () => {
  it('gets the alert through after two 500s (3 requests), and the card is valid', async () => {
    receiver = await startReceiver((n) => (n <= 2 ? { status: 500, body: 'flow unavailable' } : { status: 202 }));
    const logger = new CapturingLogger();
    const result = await new TeamsWorkflowSink(receiver.url, { logger, sleep: noSleep }).send(alert);
    expect(result).toMatchObject({ channel: 'teams', delivered: true, status: 'http-202', attempts: 3 });
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests[2]!.headers['content-type']).toMatch(/^application\/json/);
    expect(validateTeamsPayload(JSON.parse(receiver.requests[2]!.body))).toEqual([]);
    expect(logger.lines.filter((l) => l.includes('alert.delivery.retry'))).toHaveLength(2);
    expectNoSecrets(logger, receiver.url, receiver.signature, '/workflows/');
  });

  it('records what came back with a 2xx: acceptance is not proof of posting', async () => {
    receiver = await startReceiver(() => ({ status: 202, body: `${'{"status":"queued"} '.repeat(200)}` }));
    const result = await new TeamsWorkflowSink(receiver.url, { logger: new CapturingLogger() }).send(alert);
    expect(result.delivered).toBe(true);
    expect(result.detail).toMatch(/^\{"status":"queued"\}/);
    expect(result.detail!.length).toBeLessThanOrEqual(300);
  });

  it('does not retry other 4xx, and redacts a receiver that echoes the URL back', async () => {
    receiver = await startReceiver((_, req) => ({
      status: 400,
      body: `Bad card posted to http://127.0.0.1${req.url}`,
    }));
    const logger = new CapturingLogger();
    const result = await new TeamsWorkflowSink(receiver.url, { logger, sleep: noSleep }).send(alert);
    expect(result).toMatchObject({ delivered: false, status: 'http-400', attempts: 1 });
    expect(receiver.requests).toHaveLength(1);
    expect(result.detail).toContain('[redacted]');
    expect(result.detail).not.toContain(receiver.signature);
    expectNoSecrets(logger, receiver.url, receiver.signature);
  });

  it('honours Retry-After on 429, and gives up on one longer than the wait budget', async () => {
    receiver = await startReceiver((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 202 },
    );
    const slept: number[] = [];
    const sleep = (ms: number) => {
      slept.push(ms);
      return Promise.resolve();
    };
    const ok = await new TeamsWorkflowSink(receiver.url, { logger: new CapturingLogger(), sleep }).send(alert);
    expect(ok).toMatchObject({ delivered: true, attempts: 2 });
    expect(slept).toEqual([2000]);
    await receiver.close();

    receiver = await startReceiver(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const late = await new TeamsWorkflowSink(receiver.url, { logger: new CapturingLogger(), sleep }).send(alert);
    expect(late).toMatchObject({ delivered: false, status: 'http-429', attempts: 1 });
    expect(late.detail).toMatch(/exceeds the wait budget/);
  });

  it('times out a receiver that never answers, retrying a bounded number of times', async () => {
    receiver = await startReceiver(() => ({ status: 202, delayMs: 10_000 }));
    const started = Date.now();
    const result = await new TeamsWorkflowSink(receiver.url, {
      logger: new CapturingLogger(),
      sleep: noSleep,
      timeoutMs: 200,
      maxAttempts: 2,
    }).send(alert);
    expect(result).toMatchObject({ delivered: false, status: 'timeout', attempts: 2 });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not follow redirects (a signed payload stays with the configured host)', async () => {
    receiver = await startReceiver(() => ({ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }));
    const result = await new TeamsWorkflowSink(receiver.url, { logger: new CapturingLogger(), sleep: noSleep }).send(
      alert,
    );
    expect(result).toMatchObject({ delivered: false, status: 'http-302' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('returns delivered=false quickly for a receiver that is down, and never throws', async () => {
    const url = await closedPortUrl();
    const logger = new CapturingLogger();
    const started = Date.now();
    const result = await new TeamsWorkflowSink(url, { logger, baseDelayMs: 20 }).send(alert);
    expect(result).toMatchObject({ delivered: false, status: 'network-error:ECONNREFUSED', attempts: 4 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expectNoSecrets(logger, url, 'closedPortSignature');
  });

  it('with default settings, a down receiver still costs only a few seconds', async () => {
    const started = Date.now();
    const result = await new TeamsWorkflowSink(await closedPortUrl(), { logger: new CapturingLogger() }).send(alert);
    expect(result.delivered).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports an unparsable URL without echoing it', async () => {
    const logger = new CapturingLogger();
    const result = await new TeamsWorkflowSink('not a url ?sig=abcdef0123456789', { logger }).send(alert);
    expect(result).toMatchObject({ delivered: false, status: 'invalid-url' });
    expect(JSON.stringify(result)).not.toContain('abcdef0123456789');
  });
});

describe('WebhookSink against a local receiver', () => {
  it('posts a signed, versioned event that the receiver verifies with the secret (and not with another)', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const logger = new CapturingLogger();
    const result = await new WebhookSink(receiver.url, SECRET, { logger }).send(alert);
    expect(result).toMatchObject({ channel: 'webhook', delivered: true, status: 'http-204' });
    const req = receiver.requests[0]!;
    const headers = req.headers as Record<string, string>;
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // Verified by the maintained Standard Webhooks library, as a receiver would.
    const event = new Webhook(SECRET, { format: 'raw' }).verify(req.body, headers) as WebhookEvent;
    expect(() => new Webhook('someone-else-0123456789', { format: 'raw' }).verify(req.body, headers)).toThrow(
      /No matching signature/,
    );
    expect(event).toMatchObject({
      schemaVersion: 1,
      eventType: 'finding.opened',
      severity: 'error',
      tenant: 'contoso',
    });
    expect(headers['webhook-id']).toBe(event.id);
    expectNoSecrets(logger, SECRET, receiver.url, receiver.signature);
  });

  it('retries with the same event id and body, re-signing each attempt', async () => {
    receiver = await startReceiver((n) => (n === 1 ? { status: 503 } : { status: 200 }));
    let clock = 1_795_000_000_000;
    const now = () => (clock += 5_000);
    const result = await new WebhookSink(receiver.url, SECRET, {
      logger: new CapturingLogger(),
      sleep: noSleep,
      now,
    }).send(alert);
    expect(result).toMatchObject({ delivered: true, attempts: 2 });
    const [a, b] = receiver.requests;
    expect(a!.body).toBe(b!.body);
    expect(a!.headers['webhook-id']).toBe(b!.headers['webhook-id']);
    expect(a!.headers['webhook-timestamp']).not.toBe(b!.headers['webhook-timestamp']);
    expect(a!.headers['webhook-signature']).not.toBe(b!.headers['webhook-signature']);
  });
});
