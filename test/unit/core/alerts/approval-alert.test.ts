// The "approval needed" alert: the Review link as a Teams button (checked with the adaptivecards SDK) and in the
// webhook event, and the CLI hint when no link can be issued.
import { describe, expect, it } from 'vitest';
import {
  approvalRequestedAlert,
  approvalsDigestAlert,
  buildTeamsMessage,
  buildWebhookEvent,
} from '../../../../shared/core/alerts/index.js';
import { validateTeamsPayload, walk } from '../../../support/adaptive-cards.js';
import { DELETE_RECORD, DEREGISTER, request } from '../../app/approvals/fixtures.js';
import { ctx, PORTAL } from './fixtures.js';

const r = request(DEREGISTER);
const LINK = `https://apm.example.test/api/approvals/${r.id}?token=${'t'.repeat(43)}`;

describe('approval-requested alert', () => {
  it('Teams: a valid 1.5 card whose first action is Review, opening the link', () => {
    const msg = buildTeamsMessage(approvalRequestedAlert(ctx(), r, LINK), { portalUrl: PORTAL });
    const payload = JSON.parse(msg.json) as {
      attachments: [{ content: { actions?: { title: string; url: string }[] } }];
    };
    expect(validateTeamsPayload(payload)).toEqual([]);
    const actions = payload.attachments[0].content.actions ?? [];
    expect(actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Review', url: LINK });
    const texts = walk(payload.attachments[0].content)
      .filter((e) => e.type === 'TextBlock')
      .map((e) => String(e.text));
    expect(texts.join('\n')).toContain('Approval needed: deregister Autopilot device SN-APPROVE-1');
  });

  it('webhook: approval.requested with data.review (id, url, expiry)', () => {
    const event = buildWebhookEvent(approvalRequestedAlert(ctx(), r, LINK));
    expect(event.eventType).toBe('approval.requested');
    expect(event.data.review).toEqual({
      approvalId: r.id,
      url: LINK,
      expiresAt: new Date(r.expiresAt).toISOString(),
    });
    expect(event.data.items[0]?.code).toBe('AP_ATTENTION_REQUIRED');
  });

  it('without a link: no button, the summary says how to decide from the CLI', () => {
    const alert = approvalRequestedAlert(ctx(), r, null);
    expect(alert.summary).toContain(`autopilot-medic approvals show ${r.id}`);
    const payload = JSON.parse(buildTeamsMessage(alert, { portalUrl: PORTAL }).json) as {
      attachments: [{ content: { actions?: { title: string }[] } }];
    };
    expect(validateTeamsPayload(payload)).toEqual([]);
    expect((payload.attachments[0].content.actions ?? []).map((a) => a.title)).not.toContain('Review');
    expect(buildWebhookEvent(alert).data.review?.url).toBeNull();
  });
});

describe('approvals digest (a run with more requests than ALERT_DIGEST_THRESHOLD)', () => {
  // 300 requests, two actions, hostile serials among them: one valid card and one webhook event carry them all.
  const many = Array.from({ length: 300 }, (_, i) =>
    request(
      i % 3 === 0
        ? { ...DELETE_RECORD, serialNumber: `SN-${i}\t[x](https://evil)` }
        : { ...DEREGISTER, serialNumber: `SN-${i}` },
      { fingerprint: `fp-${i}`, expiresAt: 2_000_000_000_000 + i },
    ),
  );

  it('Teams: one valid card, within the size budget, no Review button', () => {
    const alert = approvalsDigestAlert(ctx(), 'run-7', many);
    expect(alert.kind).toBe('approval-requested');
    expect(alert.review).toBeUndefined();
    expect(alert.dedupeKey).toBe('approvals:run-7');
    expect(alert.items).toHaveLength(300);
    expect(alert.facts).toMatchObject({
      'Approval requests': 300,
      'Action delete-intune-device-record': 100,
      'Action deregister-autopilot-device': 200,
      'First expiry': new Date(2_000_000_000_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(alert.summary).toContain('autopilot-medic approvals list');
    const msg = buildTeamsMessage(alert, { portalUrl: PORTAL });
    const payload = JSON.parse(msg.json) as { attachments: [{ content: { actions?: { title: string }[] } }] };
    expect(validateTeamsPayload(payload)).toEqual([]);
    expect((payload.attachments[0].content.actions ?? []).map((a) => a.title)).not.toContain('Review');
    expect(msg.json).not.toContain('[x](https://evil)');
  });

  it('webhook: one approval.requested event holding the requests as items, with no single review', () => {
    const event = buildWebhookEvent(approvalsDigestAlert(ctx(), 'run-7', many));
    expect(event.eventType).toBe('approval.requested');
    expect(event.data.items).toHaveLength(300);
    expect(event.data.review).toBeUndefined();
  });
});
