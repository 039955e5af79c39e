import type { TableClient } from '@azure/data-tables';
import { NO_PACING, type PacedKey } from '../../core/governor/index.js';
import { escapeKey } from '../../core/keys.js';
import type { GovernorState, GovernorStore } from '../../ports/stores.port.js';
import {
  compact,
  epoch,
  getOrNull,
  readNumber,
  readString,
  unless,
  written,
  type Row,
  type WriteEntity,
} from './table-helpers.js';
import { jsonProps, readJson } from './table-text.js';

export const GOVERNOR_ROW_KEY = 'autopilot-sync';

// One row per tenant. Only one instance may trigger the tenant-wide sync, so every write is conditional:
// create when the caller read "no row" (etag null), otherwise replace at the ETag it read.
export class TableGovernorStore implements GovernorStore {
  constructor(private readonly client: TableClient) {}

  async get(tenant: string): Promise<GovernorState> {
    const row = await getOrNull(this.client, escapeKey(tenant), GOVERNOR_ROW_KEY);
    return row ? fromRow(tenant, row) : empty(tenant);
  }

  async put(state: GovernorState): Promise<GovernorState | null> {
    const entity = toEntity(state);
    const response =
      state.etag === null
        ? await unless([409], null, () => this.client.createEntity(entity))
        : await unless([404, 412], null, () =>
            this.client.updateEntity(entity, 'Replace', { etag: state.etag ?? undefined }),
          );
    return response ? fromRow(state.tenant, written(entity, response.etag)) : null;
  }
}

function empty(tenant: string): GovernorState {
  return {
    tenant,
    lastTriggeredAt: null,
    nextAllowedAt: null,
    pendingReasons: [],
    unlisted: null,
    scheduledFor: null,
    holder: null,
    holderUntil: null,
    pacing: NO_PACING,
    etag: null,
  };
}

function toEntity(s: GovernorState): WriteEntity {
  return compact({
    partitionKey: escapeKey(s.tenant),
    rowKey: GOVERNOR_ROW_KEY,
    lastTriggeredAt: epoch(s.lastTriggeredAt),
    nextAllowedAt: epoch(s.nextAllowedAt),
    scheduledFor: epoch(s.scheduledFor),
    holder: s.holder,
    holderUntil: epoch(s.holderUntil),
    // Bounded by the app (core/governor/pending-reasons.ts): a list that outgrew one entity failed every write.
    ...jsonProps('pendingReasons', [...s.pendingReasons]),
    unlistedReasons: s.unlisted?.count,
    unlistedPlannedAt: s.unlisted === null ? undefined : epoch(s.unlisted.plannedAt),
    pacedWindowAt: epoch(s.pacing.windowAt),
    pacedWindowUsed: s.pacing.windowAt === null ? undefined : s.pacing.used,
    // Bounded by the app (MAX_LISTED_PACED_KEYS in core/governor/write-pacing.ts), as the reasons are.
    ...jsonProps(
      'pacedKeys',
      s.pacing.waiting.map((w) => [w.key, w.at]),
    ),
  });
}

function fromRow(tenant: string, { etag, props }: Row): GovernorState {
  const reasons = readJson(props, 'pendingReasons');
  const unlistedCount = readNumber(props, 'unlistedReasons');
  const unlistedPlannedAt = readNumber(props, 'unlistedPlannedAt');
  return {
    tenant,
    lastTriggeredAt: readNumber(props, 'lastTriggeredAt'),
    nextAllowedAt: readNumber(props, 'nextAllowedAt'),
    pendingReasons: Array.isArray(reasons) ? reasons.filter((r): r is string => typeof r === 'string') : [],
    unlisted:
      unlistedCount === null || unlistedPlannedAt === null
        ? null
        : { count: unlistedCount, plannedAt: unlistedPlannedAt },
    scheduledFor: readNumber(props, 'scheduledFor'),
    holder: readString(props, 'holder'),
    holderUntil: readNumber(props, 'holderUntil'),
    pacing: {
      windowAt: readNumber(props, 'pacedWindowAt'),
      used: readNumber(props, 'pacedWindowUsed') ?? 0,
      waiting: pacedKeys(readJson(props, 'pacedKeys')),
    },
    etag,
  };
}

/** `[[key, at], …]` as written by toEntity; anything else (a row from before pacing was kept) is no key. */
function pacedKeys(value: unknown): PacedKey[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) =>
    Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number'
      ? [{ key: entry[0], at: entry[1] }]
      : [],
  );
}
