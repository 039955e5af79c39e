import type { TableClient } from '@azure/data-tables';
import { escapeKey } from '../../core/keys.js';
import type { AlertStateRecord, AlertStateStore } from '../../ports/stores.port.js';
import { keyTextProp, keyValue, PARTITION_KEY_TEXT, ROW_KEY_TEXT } from './key-text.js';
import {
  compact,
  epoch,
  getOrNull,
  need,
  readNumber,
  readString,
  unless,
  type Row,
  type WriteEntity,
} from './table-helpers.js';

const MAX_ROUNDS = 5;
const SENDING = 'sending';

// PK = channel, RK = dedupe key. tryAcquire is a create, or a replace at the ETag we read when the last send
// is older than the window: two instances racing for the same alert cannot both win.
export class TableAlertStateStore implements AlertStateStore {
  constructor(private readonly client: TableClient) {}

  async get(channel: string, dedupeKey: string): Promise<AlertStateRecord | null> {
    const row = await getOrNull(this.client, escapeKey(channel), escapeKey(dedupeKey));
    return row ? fromRow(row) : null;
  }

  async tryAcquire(
    channel: string,
    dedupeKey: string,
    now: number,
    windowStart: number,
    windowOpenedAt: number = now,
  ): Promise<boolean> {
    const pk = escapeKey(channel);
    const rk = escapeKey(dedupeKey);
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const created = await unless([409], null, () =>
        this.client.createEntity(toEntity({ pk, rk, channel, dedupeKey }, now, 1, SENDING, windowOpenedAt)),
      );
      if (created) return true;
      const current = await getOrNull(this.client, pk, rk);
      if (!current) continue;
      const state = fromRow(current);
      if (state.lastSentAt >= windowStart) return false;
      const next = toEntity({ pk, rk, channel, dedupeKey }, now, state.count + 1, SENDING, windowOpenedAt);
      const taken = await unless([404, 412], null, () =>
        this.client.updateEntity(next, 'Replace', { etag: current.etag }),
      );
      if (taken) return true;
      // 412: someone wrote in between (another acquire, or a recordResult): decide again on fresh state.
    }
    return false;
  }

  async recordResult(channel: string, dedupeKey: string, status: string): Promise<void> {
    // Merge touches only lastStatus; no row (never acquired) stays no row rather than a fake lastSentAt.
    const patch: WriteEntity = { partitionKey: escapeKey(channel), rowKey: escapeKey(dedupeKey), lastStatus: status };
    await unless([404], null, () => this.client.updateEntity(patch, 'Merge'));
  }
}

interface Keys {
  readonly pk: string;
  readonly rk: string;
  readonly channel: string;
  readonly dedupeKey: string;
}

function toEntity(k: Keys, lastSentAt: number, count: number, lastStatus: string, windowOpenedAt: number): WriteEntity {
  return compact({
    partitionKey: k.pk,
    rowKey: k.rk,
    ...keyTextProp(PARTITION_KEY_TEXT, k.pk, k.channel),
    ...keyTextProp(ROW_KEY_TEXT, k.rk, k.dedupeKey),
    lastSentAt: epoch(lastSentAt),
    count,
    lastStatus,
    windowOpenedAt: epoch(windowOpenedAt),
  });
}

function fromRow({ partitionKey, rowKey, props }: Row): AlertStateRecord {
  return {
    channel: keyValue(partitionKey, props, PARTITION_KEY_TEXT),
    dedupeKey: keyValue(rowKey, props, ROW_KEY_TEXT),
    lastSentAt: need(readNumber(props, 'lastSentAt'), 'lastSentAt'),
    count: readNumber(props, 'count') ?? 0,
    lastStatus: readString(props, 'lastStatus') ?? '',
    ...optionalNumber('windowOpenedAt', readNumber(props, 'windowOpenedAt')),
  };
}

/** Rows written before a field existed lack it: leave it absent rather than invent a value. */
function optionalNumber<K extends string>(name: K, value: number | null): Partial<Record<K, number>> {
  return value === null ? {} : ({ [name]: value } as Record<K, number>);
}
