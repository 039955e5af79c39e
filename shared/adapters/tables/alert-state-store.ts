import type { TableClient } from '@azure/data-tables';
import { escapeKey, unescapeKey } from '../../core/keys.js';
import type { AlertStateRecord, AlertStateStore } from '../../ports/stores.port.js';
import { compact, epoch, getOrNull, need, readNumber, readString, unless, type Row, type WriteEntity } from './table-helpers.js';

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

  async tryAcquire(channel: string, dedupeKey: string, now: number, windowStart: number): Promise<boolean> {
    const pk = escapeKey(channel);
    const rk = escapeKey(dedupeKey);
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const created = await unless([409], null, () => this.client.createEntity(toEntity(pk, rk, now, 1, SENDING)));
      if (created) return true;
      const current = await getOrNull(this.client, pk, rk);
      if (!current) continue;
      const state = fromRow(current);
      if (state.lastSentAt >= windowStart) return false;
      const next = toEntity(pk, rk, now, state.count + 1, SENDING);
      const taken = await unless([404, 412], null, () => this.client.updateEntity(next, 'Replace', { etag: current.etag }));
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

function toEntity(pk: string, rk: string, lastSentAt: number, count: number, lastStatus: string): WriteEntity {
  return compact({ partitionKey: pk, rowKey: rk, lastSentAt: epoch(lastSentAt), count, lastStatus });
}

function fromRow({ partitionKey, rowKey, props }: Row): AlertStateRecord {
  return {
    channel: unescapeKey(partitionKey),
    dedupeKey: unescapeKey(rowKey),
    lastSentAt: need(readNumber(props, 'lastSentAt'), 'lastSentAt'),
    count: readNumber(props, 'count') ?? 0,
    lastStatus: readString(props, 'lastStatus') ?? '',
  };
}
