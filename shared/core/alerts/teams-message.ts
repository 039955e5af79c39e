import type { Alert } from '../model/index.js';
import type { TeamsWorkflowPayload } from './adaptive-card.js';
import { buildAdaptiveCard, type CardOptions } from './teams-card.js';
import { utf8Bytes } from './text.js';

/**
 * Teams rejects bodies over ~28 KB (413 "Request entity too large"), and one library measured ~21 KB in
 * practice; 25 000 bytes leaves headroom for Teams' own wrapping of the card.
 */
export const TEAMS_MAX_BYTES = 25_000;

/** No item renders smaller than this (container, title, three facts, fix), so at most maxBytes / 200 can fit. */
const MIN_ITEM_BYTES = 200;

export interface TeamsMessage {
  readonly payload: TeamsWorkflowPayload;
  /** Exactly the bytes to POST. */
  readonly json: string;
  readonly bytes: number;
  readonly shownItems: number;
  readonly omittedItems: number;
}

export interface TeamsMessageOptions extends CardOptions {
  readonly maxBytes?: number;
}

export function teamsPayload(alert: Alert, shown: number, options: CardOptions = {}): TeamsWorkflowPayload {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: buildAdaptiveCard(alert, shown, options),
      },
    ],
  };
}

/**
 * The largest card that fits: binary search on the number of items shown. Size grows with every item added
 * (an item is far larger than the digits the "…and N more" line loses), so the search is exact.
 */
export function buildTeamsMessage(alert: Alert, options: TeamsMessageOptions = {}): TeamsMessage {
  const maxBytes = options.maxBytes ?? TEAMS_MAX_BYTES;
  const render = (shown: number) => {
    const payload = teamsPayload(alert, shown, options);
    const json = JSON.stringify(payload);
    return { payload, json, bytes: utf8Bytes(json), shown };
  };
  const total = alert.items.length;
  // No more than `ceiling` items can ever fit, so a 5 000-finding digest costs a few small renders; and when
  // `ceiling` items fit, they are the most that can.
  const ceiling = Math.min(total, Math.floor(maxBytes / MIN_ITEM_BYTES));
  let best = render(ceiling);
  if (best.bytes > maxBytes) {
    // Invariant: `hi` items do not fit; `lo` items are the best known (zero fits the default budget, as
    // every text is clipped; a smaller custom budget gets the zero-item card as the best effort).
    let lo = 0;
    let hi = ceiling;
    best = render(0);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const attempt = render(mid);
      if (attempt.bytes <= maxBytes) {
        lo = mid;
        best = attempt;
      } else {
        hi = mid;
      }
    }
  }
  return {
    payload: best.payload,
    json: best.json,
    bytes: best.bytes,
    shownItems: best.shown,
    omittedItems: total - best.shown,
  };
}
