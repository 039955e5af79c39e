import type { Alert, AlertItem, AlertKind, Severity } from '../model/index.js';
import type {
  AdaptiveCard,
  CardElement,
  ContainerStyle,
  Fact,
  OpenUrlAction,
  TableCell,
  TableRow,
  TextColor,
} from './adaptive-card.js';
import { evidenceLabel, subjectName } from './labels.js';
import { normalizePortalUrl } from './links.js';
import { cardText } from './markdown.js';
import { clip, isoSeconds } from './text.js';

// One Adaptive Card per alert. Up to DETAIL_MAX items are shown in full (what, where, evidence in words, fix,
// link); a longer list is a Table, one row per item (device by serial and name, finding, severity), whose device
// cell opens the item's admin-center page, so a 40-device digest reads as a list instead of a wall of facts. Every text is clipped so that a card with zero items is always far below the
// size budget; teams-message.ts then decides how many items fit. Every text that is not a literal of this file
// (titles, summaries, facts, evidence, fixes: tenant data flows into all of them) goes through cardText, so
// nothing in a card is Markdown or a link except what this file writes.

/** More items than this become table rows. Decided on the alert's item count, not on how many fit. */
export const DETAIL_MAX = 3;

const LIMITS = {
  title: 200,
  summary: 1_000,
  factTitle: 80,
  factValue: 300,
  facts: 30,
  fix: 600,
  evidence: 5,
  evidenceValue: 120,
};

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
  outcomes: 'Remediation outcomes',
  report: 'Compliance report',
  'approval-requested': 'Approval requested',
};

const ITEMS_HEADING: Partial<Readonly<Record<AlertKind, string>>> = {
  digest: 'Needs a person',
  outcomes: 'What was done',
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
  const style =
    alert.kind === 'resolved' ? { container: 'good' as const, color: 'Good' as const } : STYLE[alert.severity];
  const when = isoSeconds(alert.at);
  const body: CardElement[] = [
    {
      type: 'Container',
      style: style.container,
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: cardText(clip(alert.title, LIMITS.title)),
          weight: 'Bolder',
          size: 'Medium',
          color: style.color,
          wrap: true,
        },
        {
          type: 'TextBlock',
          text: `${alert.severity.toUpperCase()} · ${KIND_LABEL[alert.kind]} · ${cardText(clip(alert.tenantName ?? alert.tenant, 80))} · {{DATE(${when},SHORT)}} {{TIME(${when})}}`,
          isSubtle: true,
          spacing: 'None',
          wrap: true,
        },
      ],
    },
    { type: 'TextBlock', text: cardText(clip(alert.summary, LIMITS.summary)), wrap: true },
  ];
  const facts = Object.entries(alert.facts)
    .slice(0, LIMITS.facts)
    .map(([k, v]) => fact(k, String(v)));
  if (facts.length > 0) body.push({ type: 'FactSet', facts });

  const count = Math.min(Math.max(0, shown), alert.items.length);
  const heading = ITEMS_HEADING[alert.kind];
  if (heading && alert.items.length > 0) {
    body.push({
      type: 'TextBlock',
      text: `${heading} (${alert.items.length})`,
      weight: 'Bolder',
      spacing: 'Medium',
      wrap: true,
    });
  }
  const shownItems = alert.items.slice(0, count);
  if (alert.items.length > DETAIL_MAX) {
    if (shownItems.length > 0) body.push(itemTable(shownItems));
  } else {
    for (const item of shownItems)
      body.push(itemBlock(item, alert.title, alert.kind === 'outcomes' ? 'What happened' : 'Fix'));
  }
  const omitted = alert.items.length - count;
  if (omitted > 0) body.push({ type: 'TextBlock', text: `…and ${omitted} more`, isSubtle: true, wrap: true });

  const actions: OpenUrlAction[] = [];
  // The review page is where the person decides: it comes first (Teams shows the first actions as buttons).
  // Teams opens https links only (a loopback `serve` link stays in the webhook event and `approvals show`).
  if (alert.review?.url?.startsWith('https://'))
    actions.push({ type: 'Action.OpenUrl', title: 'Review', url: alert.review.url });
  if (options.portalUrl && alert.items.length !== 1) {
    actions.push({
      type: 'Action.OpenUrl',
      title: 'Open Intune admin center',
      url: normalizePortalUrl(options.portalUrl),
    });
  }
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** Keys shown as "Device"/"Group" already, so not repeated as evidence. */
const NAMING_KEYS = new Set(['serialNumber', 'deviceName', 'managedDeviceName', 'displayName', 'groupName']);

const SUBJECT_TITLE = { device: 'Device', group: 'Group', tenant: 'Scope' } as const;

function itemBlock(item: AlertItem, alertTitle: string, fixLabel: string): CardElement {
  const evidence = Object.entries(item.evidence)
    .filter(([k, v]) => v !== null && v !== '' && !NAMING_KEYS.has(k))
    .slice(0, LIMITS.evidence)
    .map(([k, v]) => fact(evidenceLabel(k), clip(String(v), LIMITS.evidenceValue)));
  const items: CardElement[] = [];
  // The card's title already names a single finding ("Needs a person: <title>"): do not say it twice.
  if (!alertTitle.includes(item.title)) {
    items.push({
      type: 'TextBlock',
      text: cardText(clip(item.title, LIMITS.title)),
      weight: 'Bolder',
      color: STYLE[item.severity].color,
      wrap: true,
    });
  }
  items.push({
    type: 'FactSet',
    facts: [
      fact(SUBJECT_TITLE[item.subject.kind], subjectName(item.subject, item.evidence)),
      fact('Finding', item.code),
      fact('Severity', item.severity),
      ...evidence,
    ],
  });
  if (item.fix !== '')
    items.push({ type: 'TextBlock', text: `**${fixLabel}:** ${cardText(clip(item.fix, LIMITS.fix))}`, wrap: true });
  if (item.link)
    items.push({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: linkTitle(item), url: item.link }] });
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function itemTable(items: readonly AlertItem[]): CardElement {
  const header: TableRow = {
    type: 'TableRow',
    cells: [cell('Device or group', true), cell('Finding', true), cell('Severity', true)],
  };
  const rows: TableRow[] = items.map((item) => ({
    type: 'TableRow',
    cells: [
      {
        ...cell(subjectName(item.subject, item.evidence)),
        ...(item.link ? { selectAction: { type: 'Action.OpenUrl', title: linkTitle(item), url: item.link } } : {}),
      },
      cell(item.title),
      cell(item.severity),
    ],
  }));
  return {
    type: 'Table',
    columns: [{ width: 3 }, { width: 4 }, { width: 1 }],
    rows: [header, ...rows],
    firstRowAsHeader: true,
    showGridLines: false,
    spacing: 'Small',
  };
}

/** `heading` cells are this file's literals; every other cell is tenant or catalog text, so it is escaped. */
function cell(text: string, heading = false): TableCell {
  return {
    type: 'TableCell',
    items: [
      {
        type: 'TextBlock',
        text: heading ? text : cardText(clip(text, LIMITS.factValue)),
        wrap: true,
        ...(heading ? { weight: 'Bolder' as const } : {}),
      },
    ],
  };
}

function linkTitle(item: AlertItem): string {
  if (item.subject.kind === 'group') return 'Open group in Entra';
  return item.link?.includes('mdmDeviceId') ? 'Open device in Intune' : 'Open Autopilot devices';
}

function fact(title: string, value: string): Fact {
  return { title: cardText(clip(title, LIMITS.factTitle)), value: cardText(clip(value, LIMITS.factValue)) };
}
