import { afterEach, describe, expect, it } from 'vitest';

import { TeamsWorkflowSink, WebhookSink } from '../../../shared/adapters/alerts/index.js';
import { createMemoryStores } from '../../../shared/adapters/inprocess/memory-stores.js';
import { AlertDispatcher } from '../../../shared/app/alerting/index.js';
import { findingOpenedAlert } from '../../../shared/core/alerts/index.js';
import { ctx, deviceFinding, NOW } from '../../unit/core/alerts/fixtures.js';
import { CapturingLogger, noSleep, type Receiver, startReceiver } from './receiver.js';

// A receiver's answer is kept as a snippet (the first 2 048 bytes, whitespace collapsed, redacted, 300 characters)
// for logs and history. A secret the byte cut splits is no longer a whole needle: its beginning must be masked too,
// or all but its last characters land in the log line and the history row.

const SECRET = 'whsec_MfKQ9r4gkAyXWp1/9HpBb3t8mTnqbVQEwTqz5Kv0aA8=';
const alert = findingOpenedAlert(ctx(), deviceFinding(1));
let receiver: Receiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

/** A body that puts `text` across the 2 048-byte cut, keeping all but its last `keepOut` characters. */
function straddling(prefix: string, text: string, keepOut = 2): string {
  const pad = 2_048 - prefix.length - (text.length - keepOut);
  // Pretty-printed error pages are mostly indentation: whitespace collapses to one space after the cut.
  return ' '.repeat(pad) + prefix + text + ' trailing';
}

describe('response snippets that straddle the 2 KB cut', () => {
  it('webhook: a receiver echoing the signing secret cut 2 characters before its end is masked in logs and history', async () => {
    receiver = await startReceiver(() => ({ status: 401, body: straddling('invalid signature for secret ', SECRET) }));
    const logger = new CapturingLogger();
    const stores = createMemoryStores();
    const dispatcher = new AlertDispatcher({
      channels: [{ sink: new WebhookSink(receiver.url, SECRET, { logger, sleep: noSleep }), minSeverity: 'info' }],
      alertState: stores.alerts,
      history: stores.history,
      clock: { now: () => NOW },
      logger,
      cooldownMs: 3_600_000,
    });
    const report = await dispatcher.dispatch([alert]);
    expect(report.failed).toBe(1);
    const history = JSON.stringify((await stores.history.query({ type: 'alert', limit: 10 })).items);
    const leakedPart = SECRET.slice(0, -2); // 48 of 50 characters: the key is all but brute-forced
    expect(logger.lines.join('\n')).not.toContain(leakedPart);
    expect(history).not.toContain(leakedPart);
  });

  it('teams: a receiver echoing the Workflows URL cut inside the workflow id: the id is masked in logs', async () => {
    let echoed = '';
    receiver = await startReceiver((_, req) => {
      echoed = `http://127.0.0.1${req.url}`;
      const path = echoed.slice(0, echoed.indexOf('/triggers'));
      return { status: 404, body: straddling('The workflow ', path) };
    });
    const logger = new CapturingLogger();
    const result = await new TeamsWorkflowSink(receiver.url, { logger, sleep: noSleep }).send(alert);
    expect(result.delivered).toBe(false);
    expect(result.detail ?? '').not.toMatch(/workflows\/0c5d8a9f3b2e4d1f8a7c6b5e4d3c2b/);
    for (const line of logger.lines) expect(line).not.toMatch(/workflows\/0c5d8a9f3b2e4d1f8a7c6b5e4d3c2b/);
  });
});
