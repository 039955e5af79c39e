import type { TableClient } from '@azure/data-tables';
import { escapeKey } from '../../core/keys.js';
import type { RunLockStore } from '../../ports/stores.port.js';
import { epoch, unless } from './table-helpers.js';

/** Partition of a slot: its kind (`poll` in `poll:2026-…`), so each schedule's slots stay together. */
function partitionOf(slot: string): string {
  const colon = slot.indexOf(':');
  return escapeKey(colon > 0 ? slot.slice(0, colon) : 'run');
}

// A run slot is claimed by creating its row; 409 means another instance (or runOnStartup) already has it.
export class TableRunLockStore implements RunLockStore {
  constructor(private readonly client: TableClient) {}

  async tryStartRun(slot: string, now: number): Promise<boolean> {
    const entity = { partitionKey: partitionOf(slot), rowKey: escapeKey(slot), startedAt: epoch(now) };
    const created = await unless([409], null, () => this.client.createEntity(entity));
    return created !== null;
  }
}
