import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildWebhookEvent, findingOpenedAlert, signatureHeader } from '../../../shared/core/alerts/index.js';
import { ctx, deviceFinding } from '../core/alerts/fixtures.js';

// Issue 13.9: docs/operations.md told receivers to drop repeats by X-AutopilotMedic-Event-Id, a header the
// signature does not cover. It must point them at the signed body's `id`, and its receiver code must work
// against what the webhook sink really sends.

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/operations.md'), 'utf8');
const section = doc.slice(doc.indexOf('### Generic webhook'), doc.indexOf('## 5.'));

type Receive = (secret: string, headers: Record<string, string>, rawBody: string, seen: Set<string>) => number;

/** The js block of the section, run as written (it imports node:crypto; those two names are passed in). */
function documentedReceiver(): Receive {
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const body = code.replace(/^import .*$/m, '');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- executing the documented snippet is the point
  const make = new Function('createHmac', 'timingSafeEqual', `${body}\nreturn receive;`) as (h: typeof createHmac, t: typeof timingSafeEqual) => Receive;
  return make(createHmac, timingSafeEqual);
}

describe('docs/operations.md, generic webhook', () => {
  it('says to de-duplicate by the signed body id, and that headers are not signed', () => {
    expect(section).toMatch(/De-duplicate by the `id` field of the verified body/);
    expect(section).toMatch(/Headers are not signed/);
    expect(section).not.toMatch(/Event-Id`[^\n]*drop repeats by it/);
  });

  it("documents a receiver that verifies, then drops repeats by the body's id — even when the header lies", () => {
    const receive = documentedReceiver();
    const secret = 'a-webhook-secret-of-some-length';
    const event = buildWebhookEvent(findingOpenedAlert(ctx(), deviceFinding(1)));
    const body = JSON.stringify(event);
    const signed = (eventId: string) => ({ 'x-autopilotmedic-signature': signatureHeader(secret, body, Date.now()), 'x-autopilotmedic-event-id': eventId });
    const seen = new Set<string>();
    expect(receive(secret, signed(event.id), body, seen)).toBe(200);
    expect([...seen]).toEqual([event.id]);
    // A replay of the same signed body with a fresh header id is still a repeat.
    expect(receive(secret, signed('evt_forged'), body, seen)).toBe(200);
    expect([...seen]).toEqual([event.id]);
    // A tampered body is refused.
    expect(receive(secret, signed(event.id), body.replace(event.id, 'evt_other'), seen)).toBe(401);
  });
});
