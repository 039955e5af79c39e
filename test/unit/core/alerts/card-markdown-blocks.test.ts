import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';

import { buildTeamsMessage, findingOpenedAlert, runDigestAlert } from '../../../../shared/core/alerts/index.js';
import { cardText } from '../../../../shared/core/alerts/markdown.js';
import type { Alert } from '../../../../shared/core/model/index.js';
import { validateTeamsPayload, walk } from '../../../support/adaptive-cards.js';
import { ctx, deviceFinding, PORTAL } from './fixtures.js';

// Tenant strings (a serial, a group tag anyone enrolling a device sets) must stay text in a card. A CommonMark
// renderer (markdown-it, with HTML and linkify on: the most a client could honour) decides what would be Markdown:
// a "---" is a thematic break, four leading spaces an indented code block (CommonMark "Thematic breaks", "Indented
// code blocks"), unless cardText escapes them.
const md = new MarkdownIt({ html: true, linkify: true });

/** Every Markdown-rendered string of a card: TextBlock.text, Fact.title, Fact.value. */
function renderedTexts(alert: Alert): string[] {
  const card = buildTeamsMessage(alert, { portalUrl: PORTAL }).payload.attachments[0].content;
  expect(validateTeamsPayload(buildTeamsMessage(alert, { portalUrl: PORTAL }).payload)).toEqual([]);
  return walk(card).flatMap((e) => {
    if (e.type === 'TextBlock') return [String(e.text)];
    if (e.type === 'FactSet') return (e.facts as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]);
    return [];
  });
}

/** Block-level HTML a tenant string must never produce. */
const BLOCK_HTML = /<(hr|pre|code|h[1-6]|ul|ol|blockquote|table)\b/;

describe('cardText and CommonMark block syntax', () => {
  it.each(['---', '  ---', '    LEAK-code-block'])('cardText(%j) renders as plain text', (value) => {
    const html = md.render(cardText(value));
    expect(html).not.toMatch(BLOCK_HTML);
  });

  it('a device whose serial is "---" or starts with four spaces is plain text in a digest table', () => {
    const devices = ['---', '    LEAK-code-block', 'SN-3', 'SN-4', 'SN-5'].map((serial, i) =>
      deviceFinding(i, {
        subject: { kind: 'device', key: `k${i}`, serialNumber: serial, autopilotId: null },
        evidence: {},
      }),
    );
    const digest = runDigestAlert(ctx(), {
      runId: 'run-1',
      opened: devices,
      needsPerson: new Set(devices.map((d) => d.fingerprint)),
      queuedForRemediation: 0,
      resolvedAfterRemediation: [],
      resolvedOnTheirOwn: 0,
      escalations: [],
      devicesTouched: devices.length,
    });
    const offending = renderedTexts(digest).filter((t) => BLOCK_HTML.test(md.render(t)));
    expect(offending).toEqual([]);
  });

  it('an evidence value (a group tag anyone enrolling sets) of "---" is plain text in a finding card', () => {
    const alert = findingOpenedAlert(ctx(), deviceFinding(1, { evidence: { groupTag: '---', orderId: '    code' } }));
    const offending = renderedTexts(alert).filter((t) => BLOCK_HTML.test(md.render(t)));
    expect(offending).toEqual([]);
  });
});
