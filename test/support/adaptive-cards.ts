import { createRequire } from 'node:module';

import type * as AdaptiveCards from 'adaptivecards';

// Cards are checked with the maintained `adaptivecards` package (Microsoft's renderer SDK): parse at target
// version 1.5 (what Teams renders), then validateProperties(); every parse or validation event is a failure.
// Its ES build imports without file extensions, which Node's ESM loader refuses, so the UMD bundle is loaded.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every parse and validation event the SDK raises for `card`. */
export function cardEvents(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) events.push(`validate: ${e.message}`);
  return events;
}

/**
 * The Teams Workflows envelope, the SDK's verdict on the card, and what the SDK does not check but Teams needs:
 * version 1.5, and absolute https links only (an OpenUrl to `javascript:` parses fine).
 */
export function validateTeamsPayload(payload: unknown): string[] {
  if (!isObj(payload) || payload.type !== 'message') return ['envelope: type must be "message"'];
  const atts = payload.attachments;
  if (!Array.isArray(atts) || atts.length !== 1) return ['envelope: exactly one attachment expected'];
  const att: unknown = atts[0];
  if (!isObj(att)) return ['envelope: attachment must be an object'];
  const errors: string[] = [];
  if (att.contentType !== 'application/vnd.microsoft.card.adaptive') errors.push('envelope: wrong contentType');
  if (att.contentUrl !== null) errors.push('envelope: contentUrl must be null');
  const card = att.content;
  if (!isObj(card) || card.version !== '1.5') errors.push('card: version must be "1.5"');
  for (const el of walk(card)) {
    if (
      el.type === 'Action.OpenUrl' &&
      !(typeof el.url === 'string' && /^https:\/\//.test(el.url) && URL.canParse(el.url))
    ) {
      errors.push(`card: OpenUrl must be absolute https, got ${String(el.url)}`);
    }
  }
  return [...errors, ...cardEvents(card)];
}

/** Every element, action, table row and cell of a card, depth first. */
export function walk(card: unknown): Obj[] {
  const out: Obj[] = [];
  const visit = (el: unknown) => {
    if (!isObj(el)) return;
    out.push(el);
    for (const key of ['body', 'items', 'actions', 'rows', 'cells']) {
      const kids = el[key];
      if (Array.isArray(kids)) kids.forEach(visit);
    }
    if (isObj(el.selectAction)) visit(el.selectAction);
  };
  visit(card);
  return out;
}
