import type { Alert, AlertItem, AlertKind, Severity } from '../model/index.js';
import type { AdaptiveCard, CardElement, ContainerStyle, Fact, OpenUrlAction, TextColor } from './adaptive-card.js';
import { subjectLabel } from './alert-item.js';
import { normalizePortalUrl } from './links.js';
import { cardText } from './markdown.js';
import { clip, isoSeconds } from './text.js';

// One Adaptive Card per alert. Every text is clipped so that a card with zero items is always far below the
// size budget; teams-message.ts then decides how many items fit. Every text that is not a literal of this file
// (titles, summaries, facts, evidence, fixes: tenant data flows into all of them) goes through cardText, so
// nothing in a card is Markdown or a link except what this file writes.

const LIMITS = { title: 200, summary: 1_000, factTitle: 80, factValue: 300, facts: 30, fix: 600, evidence: 5, evidenceValue: 120 };

const STYLE: Readonly<Record<Severity, { container: ContainerStyle; color: TextColor }>> = {
  critical: { container: 'attention', color: 'Attention' },
  error: { container: 'attention', color: 'Attention' },
  warning: { container: 'warning', color: 'Warning' },
  info: { container: 'accent', color: 'Accent' },
};

const KIND_LABEL: Readonly<Record<AlertKind, string>> = {
  finding: 'New finding',
  resolved: 'Resolved',
  escalation: 'Escalation',
  'remediation-failed': 'Remediation failed',
  'blast-radius': 'Safety stop',
  digest: 'Run digest',
  report: 'Compliance report',
};

const ITEMS_HEADING: Partial<Readonly<Record<AlertKind, string>>> = {
  digest: 'Needs a person',
  report: 'Most severe findings',
  'remediation-failed': 'Affected',
};

export interface CardOptions {
  /** Adds an "Open Intune admin center" button to cards that do not point at a single item. */
  readonly portalUrl?: string | null;
}

/** The card for `alert` showing its first `shown` items and a "…and N more" line for the rest. */
export function buildAdaptiveCard(alert: Alert, shown: number, options: CardOptions = {}): AdaptiveCard {
  // A resolution is good news whatever the finding's severity was; routing still uses that severity.
  const style = alert.kind === 'resolved' ? { container: 'good' as const, color: 'Good' as const } : STYLE[alert.severity];
  const when = isoSeconds(alert.at);
  const body: CardElement[] = [
    {
      type: 'Container',
      style: style.container,
      bleed: true,
      items: [
        { type: 'TextBlock', text: cardText(clip(alert.title, LIMITS.title)), weight: 'Bolder', size: 'Medium', color: style.color, wrap: true },
        {
          type: 'TextBlock',
          text: `${alert.severity.toUpperCase()} · ${KIND_LABEL[alert.kind]} · ${cardText(clip(alert.tenant, 80))} · {{DATE(${when},SHORT)}} {{TIME(${when})}}`,
          isSubtle: true,
          spacing: 'None',
          wrap: true,
        },
      ],
    },
    { type: 'TextBlock', text: cardText(clip(alert.summary, LIMITS.summary)), wrap: true },
  ];
  const facts = Object.entries(alert.facts).slice(0, LIMITS.facts).map(([k, v]) => fact(k, String(v)));
  if (facts.length > 0) body.push({ type: 'FactSet', facts });

  const count = Math.min(Math.max(0, shown), alert.items.length);
  const heading = ITEMS_HEADING[alert.kind];
  if (heading && alert.items.length > 0) {
    body.push({ type: 'TextBlock', text: `${heading} (${alert.items.length})`, weight: 'Bolder', spacing: 'Medium', wrap: true });
  }
  for (const item of alert.items.slice(0, count)) body.push(itemBlock(item));
  const omitted = alert.items.length - count;
  if (omitted > 0) body.push({ type: 'TextBlock', text: `…and ${omitted} more`, isSubtle: true, wrap: true });

  const actions: OpenUrlAction[] = [];
  if (options.portalUrl && alert.items.length !== 1) {
    actions.push({ type: 'Action.OpenUrl', title: 'Open Intune admin center', url: normalizePortalUrl(options.portalUrl) });
  }
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

function itemBlock(item: AlertItem): CardElement {
  const evidence = Object.entries(item.evidence)
    .filter(([, v]) => v !== null && v !== '')
    .slice(0, LIMITS.evidence)
    .map(([k, v]) => fact(k, clip(String(v), LIMITS.evidenceValue)));
  const items: CardElement[] = [
    { type: 'TextBlock', text: cardText(clip(item.title, LIMITS.title)), weight: 'Bolder', color: STYLE[item.severity].color, wrap: true },
    { type: 'FactSet', facts: [fact('Where', subjectLabel(item.subject)), fact('Code', item.code), fact('Severity', item.severity), ...evidence] },
    { type: 'TextBlock', text: `**Fix:** ${cardText(clip(item.fix, LIMITS.fix))}`, wrap: true },
  ];
  if (item.link) items.push({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: linkTitle(item), url: item.link }] });
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function linkTitle(item: AlertItem): string {
  if (item.subject.kind === 'group') return 'Open group in Entra';
  return item.link?.includes('mdmDeviceId') ? 'Open device in Intune' : 'Open Autopilot devices';
}

function fact(title: string, value: string): Fact {
  return { title: cardText(clip(title, LIMITS.factTitle)), value: cardText(clip(value, LIMITS.factValue)) };
}
