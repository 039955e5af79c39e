import { describe, expect, it } from 'vitest';

import {
  approvalRequestedAlert,
  blastRadiusAlert,
  buildTeamsMessage,
  complianceReportAlert,
  escalationAlert,
  findingOpenedAlert,
  findingResolvedAlert,
  remediationFailedAlert,
  runDigestAlert,
  runOutcomesAlert,
  type FindingLike,
} from '../../../../shared/core/alerts/index.js';
import { cardText } from '../../../../shared/core/alerts/markdown.js';
import type { Alert, AlertKind } from '../../../../shared/core/model/index.js';
import { walk } from '../../../support/adaptive-cards.js';
import { ctx, PORTAL } from './fixtures.js';
import { DEREGISTER, request as approvalRequest } from '../../app/approvals/fixtures.js';

// Issue 13.5: a device named `[Click here to fix](https://evil.example)` became a clickable link in the
// operations channel (Teams renders Markdown in TextBlock and Fact). Hostile strings go into every tenant-derived
// field of every alert kind; in the cards, no Markdown link or auto-linkable URL may survive, under either kind
// of client: one that honours backslash escapes and one that does not.

const HOSTILE = [
  '[Click here to fix](https://evil.example)',
  '![logo](https://evil.example/x.png)',
  '<https://evil.example/auto>',
  'see https://evil.example/path?q=1 now',
  'www.evil.example',
  'evil.com',
  'mail attacker@evil.com',
  'javascript:alert(1)',
  '&#91;x&#93;&#40;https&#58;//evil.example&#41;',
  '**bold** _it_ ~~gone~~ `code` | a | b |',
  '- looks like a list',
  '1. looks numbered',
  '# heading',
  '> quote',
  'line one\n- item\n[x](https://evil.example)',
  '{{DATE(2017-02-14T06:08:39Z,SHORT)}}',
  '\u001b]0;pwned\u0007\u001b[2J',
];
const H = HOSTILE.join(' ¦ ');

/** A device finding whose every tenant-derived field carries the hostile strings. */
function hostileFinding(i: number, code = 'AP_USERLESS_BLOCKED'): FindingLike {
  return {
    code,
    subject: { kind: 'device', key: `${H}-${i}`, serialNumber: `${H}-${i}`, autopilotId: H },
    severity: 'error',
    title: H,
    evidence: Object.fromEntries(HOSTILE.map((h, j) => [`${h} key ${j}`, h])),
    fingerprint: `fp-hostile-${i}`,
    remedy: null,
  };
}

function allKinds(): Record<AlertKind, Alert> {
  const c = ctx({ tenant: H });
  const findings = [hostileFinding(1), hostileFinding(2, 'AP_NOT_IN_CATALOG')];
  const [first] = findings as [FindingLike, FindingLike];
  return {
    finding: findingOpenedAlert(c, first),
    resolved: findingResolvedAlert(c, findings[1] ?? first),
    escalation: escalationAlert(c, { finding: first, action: 'allow-next-enrollment', attempts: 3, detail: H }),
    'remediation-failed': remediationFailedAlert(c, {
      action: 'allow-next-enrollment',
      idempotencyKey: H,
      attempt: 2,
      outcome: { status: 'failed-permanent', detail: H, before: null, after: null, graphRequestId: H, retryAt: null },
      findings,
    }),
    'blast-radius': blastRadiusAlert(c, { runId: H, wouldAct: 90, maxDevices: 25, maxPercent: 10, fleetSize: 400 }),
    digest: runDigestAlert(c, {
      runId: H,
      opened: findings,
      needsPerson: new Set(findings.map((f) => f.fingerprint)),
      queuedForRemediation: 0,
      resolvedAfterRemediation: findings,
      resolvedOnTheirOwn: 0,
      escalations: [],
      devicesTouched: 2,
    }),
    outcomes: runOutcomesAlert(c, {
      runId: H,
      commands: [{ action: 'allow-next-enrollment', subjects: [H, `${H}-2`], status: 'failed-permanent', detail: H }],
    }),
    report: complianceReportAlert(c, { reportId: H, devicesScanned: 2, findings, reportUrl: null }),
    'approval-requested': approvalRequestedAlert(
      c,
      approvalRequest(DEREGISTER, {
        target: { ...DEREGISTER, serialNumber: H },
        findingTitle: H,
        reason: H,
        subjectKey: H,
        evidence: first.evidence,
      }),
      null,
    ),
  };
}

/** Every Markdown-rendered string of a card: TextBlock.text, Fact.title, Fact.value. */
function renderedTexts(alert: Alert): string[] {
  const els = walk(buildTeamsMessage(alert, { portalUrl: PORTAL }).payload.attachments[0].content);
  return els.flatMap((e) => {
    if (e.type === 'TextBlock') return [String(e.text)];
    if (e.type === 'FactSet') return (e.facts as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]);
    return [];
  });
}

const URL_LIKE = [
  /[a-z][a-z0-9+.-]*:\/\//i, // scheme://
  /javascript:(?!\u200b)/i, // a scheme needs the colon joined to what follows
  /\bwww\.(?!\u200b)/i,
  /\bevil\.(example|com)\b/i, // bare domains a client may auto-link
  /@evil\./i,
];

/** What a client that honours backslash escapes shows: each `\x` becomes a literal x (entities stay literal). */
const honouring = (t: string): string => t.replace(/\\(.)/g, '$1');
/** What a client that ignores escapes shows, entities decoded. */
const ignoring = (t: string): string => t.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('Teams cards neutralise tenant Markdown and links (issue 13.5)', () => {
  const tableDigest = runDigestAlert(ctx({ tenant: H }), {
    runId: H,
    opened: Array.from({ length: 6 }, (_, i) => hostileFinding(i)),
    needsPerson: new Set(Array.from({ length: 6 }, (_, i) => `fp-hostile-${i}`)),
    queuedForRemediation: 0,
    resolvedAfterRemediation: [],
    resolvedOnTheirOwn: 0,
    escalations: [],
    devicesTouched: 6,
  });
  const alerts = { ...allKinds(), 'digest as a table': tableDigest };
  it.each(Object.entries(alerts))(
    '%s: no link syntax, URL, block marker or control character from tenant data',
    (_kind, alert) => {
      const texts = renderedTexts(alert);
      // The hostile text did reach the card (escaped), so this is not vacuous.
      expect(texts.join('\n')).toContain('Click here to fix');
      for (const t of texts) {
        // Link / image syntax needs an unescaped `](`; autolinks and HTML need an unescaped `<`.
        expect(t, t).not.toMatch(/(?<!\\)\]\s*\(/);
        expect(t, t).not.toMatch(/(?<!\\)<[a-z/!?]/i);
        for (const shown of [honouring(t), ignoring(t)]) for (const url of URL_LIKE) expect(shown, t).not.toMatch(url);
        // One line: a tenant newline cannot start a list, quote or heading; no control character at all.
        // eslint-disable-next-line no-control-regex -- control characters must not reach a card
        expect(t).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(t).not.toMatch(/^\s*([-+*]|\d+[.)]|#|>)\s/);
        // Card templates ({{DATE(…)}}) only where the card writes them itself.
        if (t.includes('{{')) expect(t).toMatch(/^[A-Z]+ · [^{]* · \{\{DATE\(/);
      }
      // The only links are the card's own buttons, pointing at the admin centers.
      const urls = walk(buildTeamsMessage(alert, { portalUrl: PORTAL }).payload.attachments[0].content)
        .filter((e) => e.type === 'Action.OpenUrl')
        .map((e) => String(e.url));
      for (const url of urls)
        expect(url.startsWith(PORTAL) || url.startsWith('https://entra.microsoft.com/')).toBe(true);
    },
  );

  it('shows the text itself, only escaped: a client that honours escapes displays the original characters', () => {
    const simple = '[Click here](x) *a* _b_ #1 <tag> a|b';
    expect(honouring(cardText(simple))).toBe(simple);
    expect(honouring(cardText('https://evil.example')).replaceAll('\u200b', '')).toBe('https://evil.example');
    expect(cardText('1. first')).toBe('1\\. first');
    expect(cardText('- item')).toBe('\\- item');
    expect(cardText('CTS-9TQ4L83')).toBe('CTS-9TQ4L83');
    expect(cardText('a\tb\nc')).toBe('a b c');
  });

  it('escapes in the card only: the alert (and so the signed webhook JSON) keeps the value as read', () => {
    expect(allKinds().finding.items[0]?.subject).toMatchObject({ serialNumber: `${H}-1` });
  });
});
