import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';

import {
  buildWebhookEvent,
  findingOpenedAlert,
  standardWebhookHeaders,
  webhookSigningKey,
} from '../../../shared/core/alerts/index.js';
import { ctx, deviceFinding } from '../core/alerts/fixtures.js';

// Issue 13.9 and 17.4: docs/operations.md shows receivers how to verify with the maintained Standard Webhooks
// library and to drop repeats by the signed id; its receiver code must work against what the webhook sink sends.

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/operations.md'), 'utf8');
const section = doc.slice(doc.indexOf('### Generic webhook'), doc.indexOf('## 5.'));

type Receive = (secret: string, headers: Record<string, string>, rawBody: string, seen: Set<string>) => number;

/** The js block of the section, run as written (its one import, `Webhook`, is passed in). */
function documentedReceiver(): Receive {
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const body = code.replace(/^import .*$/m, '');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- executing the documented snippet is the point
  const make = new Function('Webhook', `${body}\nreturn receive;`) as (w: typeof Webhook) => Receive;
  return make(Webhook);
}

describe('docs/operations.md, generic webhook', () => {
  it('names the Standard Webhooks headers and says to de-duplicate by the signed id', () => {
    for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature: v1,']) expect(section).toContain(h);
    expect(section).toMatch(/De-duplicate by the `id` field of the verified body/);
    expect(section).not.toContain('X-AutopilotMedic');
  });

  it('documents a receiver that verifies with the library, then drops repeats by id', () => {
    const receive = documentedReceiver();
    const secret = `whsec_${Buffer.from('a-documented-webhook-key-0123456789').toString('base64')}`;
    const signing = webhookSigningKey(secret);
    if ('error' in signing) throw new Error(signing.error);
    const event = buildWebhookEvent(findingOpenedAlert(ctx(), deviceFinding(1)));
    const body = JSON.stringify(event);
    const sign = (id: string, b = body, at = Date.now()) => standardWebhookHeaders(signing.key, id, b, at);
    const seen = new Set<string>();
    expect(receive(secret, sign(event.id), body, seen)).toBe(200);
    expect(receive(secret, sign(event.id), body, seen)).toBe(200);
    expect([...seen]).toEqual([event.id]);
    // A changed id, a tampered body and a stale timestamp are refused.
    expect(receive(secret, { ...sign(event.id), 'webhook-id': 'evt_forged' }, body, seen)).toBe(401);
    expect(receive(secret, sign(event.id), body.replace(event.id, 'evt_other'), seen)).toBe(401);
    expect(receive(secret, sign(event.id, body, Date.now() - 10 * 60_000), body, seen)).toBe(401);
    expect([...seen]).toEqual([event.id]);
  });
});
