import type { TableClient } from '@azure/data-tables';
import { escapeKey, unescapeKey } from '../../core/keys.js';
import type { Watermark, WatermarkStore } from '../../ports/stores.port.js';
import { compact, epoch, getOrNull, need, readNumber } from './table-helpers.js';
import { jsonProps, readJson } from './table-text.js';

// PK = tenant, RK = stream. Last writer wins: only the poll of one tenant writes its watermarks, under a run lock.
export class TableWatermarkStore implements WatermarkStore {
  constructor(private readonly client: TableClient) {}

  async get(tenant: string, stream: string): Promise<Watermark | null> {
    const row = await getOrNull(this.client, escapeKey(tenant), escapeKey(stream));
    if (!row) return null;
    const seen = readJson(row.props, 'seenIds');
    return {
      stream: unescapeKey(row.rowKey),
      value: need(readNumber(row.props, 'value'), 'value'),
      seenIds: Array.isArray(seen) ? seen.filter((s): s is string => typeof s === 'string') : [],
    };
  }

  async put(tenant: string, mark: Watermark): Promise<void> {
    // seenIds can outgrow one 64 KiB property in a busy overlap window, hence the split JSON.
    const entity = compact({
      partitionKey: escapeKey(tenant),
      rowKey: escapeKey(mark.stream),
      value: epoch(mark.value),
      ...jsonProps('seenIds', [...mark.seenIds]),
    });
    await this.client.upsertEntity(entity, 'Replace');
  }
}
