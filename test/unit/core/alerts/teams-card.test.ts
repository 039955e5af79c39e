import { describe, expect, it } from 'vitest';
import {
  blastRadiusAlert,
  buildTeamsMessage,
  findingOpenedAlert,
  findingResolvedAlert,
  runDigestAlert,
  TEAMS_MAX_BYTES,
  teamsPayload,
} from '../../../../shared/core/alerts/index.js';
import { cardEvents, validateTeamsPayload, walk } from '../../../support/adaptive-cards.js';
import { ctx, deviceFinding, groupFinding, PORTAL } from './fixtures.js';

const digestOf = (n: number) => {
  const opened = Array.from({ length: n }, (_, i) => deviceFinding(i, { remedy: null }));
  return runDigestAlert(ctx(), {
    runId: 'poll:2026-11-22T10:05:00Z',
    opened,
    needsPerson: new Set(opened.map((f) => f.fingerprint)),
    queuedForRemediation: 0,
    resolvedAfterRemediation: [],
    resolvedOnTheirOwn: 0,
    escalations: [],
    devicesTouched: n,
  });
};

describe('Teams Adaptive Card', () => {
  it('is a valid Adaptive Card 1.5 inside the Workflows envelope', () => {
    const msg = buildTeamsMessage(findingOpenedAlert(ctx(), deviceFinding(1)), { portalUrl: PORTAL });
    const parsed: unknown = JSON.parse(msg.json);
    expect(validateTeamsPayload(parsed)).toEqual([]);
    expect(parsed).toMatchObject({ type: 'message', attachments: [{ contentUrl: null, content: { version: '1.5' } }] });
  });

  it('keeps 500 findings under 25 KB (UTF-8), says how many were cut and stays valid', () => {
    const alert = digestOf(500);
    const msg = buildTeamsMessage(alert, { portalUrl: PORTAL });
    expect(msg.bytes).toBe(Buffer.byteLength(msg.json, 'utf8'));
    expect(msg.bytes).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(msg.shownItems).toBeGreaterThan(5);
    expect(msg.shownItems + msg.omittedItems).toBe(500);
    expect(msg.json).toContain(`…and ${msg.omittedItems} more`);
    expect(validateTeamsPayload(JSON.parse(msg.json))).toEqual([]);
    // Greedy is optimal: one more item would not have fitted.
    const oneMore = JSON.stringify(teamsPayload(alert, msg.shownItems + 1, { portalUrl: PORTAL }));
    expect(Buffer.byteLength(oneMore, 'utf8')).toBeGreaterThan(TEAMS_MAX_BYTES);
  });

  it('every item costs at least 200 bytes, the bound the size search relies on', () => {
    const tiny = {
      ...groupFinding('g'),
      code: 'X',
      title: '',
      evidence: {},
      subject: { kind: 'tenant' as const, key: 'tenant' as const },
    };
    const alert = { ...findingOpenedAlert(ctx({ catalog: () => null }), tiny), facts: {} };
    const one = Buffer.byteLength(JSON.stringify(teamsPayload(alert, 1)), 'utf8');
    const none = Buffer.byteLength(JSON.stringify(teamsPayload({ ...alert, items: [] }, 0)), 'utf8');
    expect(one - none).toBeGreaterThanOrEqual(200);
    expect(validateTeamsPayload(teamsPayload(alert, 1))).toEqual([]);
  });

  it('fits a 5 000-finding digest without rendering them all', () => {
    const started = performance.now();
    const msg = buildTeamsMessage(digestOf(5_000), { portalUrl: PORTAL });
    expect(msg.bytes).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(msg.omittedItems).toBe(5_000 - msg.shownItems);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('measures bytes, not characters: multi-byte evidence shows fewer items', () => {
    const wide = (i: number) =>
      deviceFinding(i, { remedy: null, evidence: { note: '設備の登録がブロックされました'.repeat(4) } });
    const opened = Array.from({ length: 300 }, (_, i) => wide(i));
    const alert = runDigestAlert(ctx(), {
      runId: 'r',
      opened,
      needsPerson: new Set(opened.map((f) => f.fingerprint)),
      queuedForRemediation: 0,
      resolvedAfterRemediation: [],
      resolvedOnTheirOwn: 0,
      escalations: [],
      devicesTouched: 300,
    });
    const msg = buildTeamsMessage(alert);
    expect(Buffer.byteLength(msg.json, 'utf8')).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expect(msg.json.length).toBeLessThan(msg.bytes);
  });

  it('clips a single oversized text instead of overflowing', () => {
    const huge = deviceFinding(1, { evidence: { failureDetails: 'x'.repeat(100_000) } });
    const msg = buildTeamsMessage(findingOpenedAlert(ctx(), huge));
    expect(msg.bytes).toBeLessThan(TEAMS_MAX_BYTES);
    expect(msg.shownItems).toBe(1);
  });

  it('shows what, where and fix per item, with a deep link button', () => {
    const msg = buildTeamsMessage(
      findingOpenedAlert(ctx(), deviceFinding(7, { evidence: { managedDeviceId: 'md-7' } })),
    );
    const els = walk(msg.payload.attachments[0].content);
    const texts = els.filter((e) => e.type === 'TextBlock').map((e) => String(e.text));
    // Issue 13.5: every text that is not the card's own literal is Markdown-escaped, the catalog's fix included.
    expect(texts).toContain('**Fix:** Unblock the device \\(allowNextEnrollment\\), then restart the deployment.');
    const facts = els.filter((e) => e.type === 'FactSet').flatMap((e) => e.facts as { title: string; value: string }[]);
    expect(facts).toContainEqual({ title: 'Device', value: 'SN-00007' });
    const urls = els.filter((e) => e.type === 'Action.OpenUrl').map((e) => e.url);
    expect(urls).toEqual([
      `${PORTAL}/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/md-7`,
    ]);
  });

  it('styles by severity, and a resolution as good news', () => {
    const header = (a: Parameters<typeof buildTeamsMessage>[0]) =>
      walk(buildTeamsMessage(a).payload.attachments[0].content)[1];
    expect(
      header(blastRadiusAlert(ctx(), { runId: 'r', wouldAct: 90, maxDevices: 25, maxPercent: 10, fleetSize: 400 })),
    ).toMatchObject({ style: 'attention' });
    expect(header(findingOpenedAlert(ctx(), deviceFinding(1, { severity: 'warning' })))).toMatchObject({
      style: 'warning',
    });
    expect(header(findingOpenedAlert(ctx(), deviceFinding(1, { severity: 'info' })))).toMatchObject({
      style: 'accent',
    });
    expect(header(findingResolvedAlert(ctx(), groupFinding('g-1')))).toMatchObject({ style: 'good' });
  });

  it('adds the admin-center button to multi-item cards only', () => {
    const digest = buildTeamsMessage(digestOf(3), { portalUrl: PORTAL }).payload.attachments[0].content;
    expect(digest.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open Intune admin center', url: PORTAL }]);
    const single = buildTeamsMessage(findingOpenedAlert(ctx(), deviceFinding(1)), { portalUrl: PORTAL }).payload
      .attachments[0].content;
    expect(single.actions).toBeUndefined();
  });

  it('the checks themselves reject what Teams would reject or drop', () => {
    const bad = {
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: 'x', color: 'red' },
        { type: 'Bogus', text: 'y' },
        {
          type: 'ActionSet',
          actions: [
            { type: 'Action.OpenUrl', title: 'go', url: 'javascript:alert(1)' },
            { type: 'Action.OpenUrl', title: 'no url' },
          ],
        },
      ],
    };
    expect(cardEvents(bad)).toEqual([
      'parse: Invalid value "red" for property "color".',
      'parse: Unknown element type "Bogus". Fallback will be used if present.',
      'validate: Property "url" must be set.',
    ]);
    const envelope = { type: 'message', attachments: [{ contentType: 'text/plain', contentUrl: '', content: bad }] };
    expect(validateTeamsPayload(envelope)).toEqual(
      expect.arrayContaining([
        'envelope: wrong contentType',
        'envelope: contentUrl must be null',
        'card: version must be "1.5"',
        'card: OpenUrl must be absolute https, got javascript:alert(1)',
      ]),
    );
  });
});
