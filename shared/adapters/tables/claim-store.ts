import type { TableClient } from '@azure/data-tables';
import { claimVerdict, freshClaim } from '../../core/claims.js';
import { escapeKey } from '../../core/keys.js';
import type { ClaimRecord, ClaimResult, ClaimStatus, ClaimStore, Json } from '../../ports/stores.port.js';
import {
  compact,
  epoch,
  getOrNull,
  int64,
  need,
  queryEntities,
  readNumber,
  readString,
  unless,
  written,
  type Row,
  type WriteEntity,
} from './table-helpers.js';
import { keyTextProp, keyValue, PARTITION_KEY_TEXT, ROW_KEY_TEXT } from './key-text.js';
import { jsonProps, readJson } from './table-text.js';

type ClaimInput = Parameters<ClaimStore['claim']>[0];

/** Rounds of create → read → take over before giving up; only reached under pathological contention. */
const MAX_ROUNDS = 5;

// PK = action, RK = idempotency key. Every write is a single-entity operation with an ETag condition (or a
// create), never a batch: Azurite ignores ETags inside batches (issue #1233) and these conditions are the point.
export class TableClaimStore implements ClaimStore {
  constructor(private readonly client: TableClient) {}

  async claim(input: ClaimInput): Promise<ClaimResult> {
    const fresh = freshEntity(input);
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const created = await unless([409], null, () => this.client.createEntity(fresh));
      if (created) return { kind: 'claimed', claim: fromRow(written(fresh, created.etag)), tookOver: false };
      const existing = await getOrNull(this.client, fresh.partitionKey, fresh.rowKey);
      if (!existing) continue; // released or purged between our create and read: try the create again
      const current = fromRow(existing);
      const verdict = claimVerdict(current, input);
      if (verdict !== 'expired') return { kind: verdict, claim: current };
      // Expired: take over only if nobody else wrote since our read (412 = someone did; look again).
      const taken = await unless([404, 412], null, () =>
        this.client.updateEntity(fresh, 'Replace', { etag: existing.etag }),
      );
      if (taken) return { kind: 'claimed', claim: fromRow(written(fresh, taken.etag)), tookOver: true };
    }
    throw new Error(`claim ${input.action}/${input.key}: still contended after ${MAX_ROUNDS} rounds`);
  }

  async complete(claim: ClaimRecord, outcome: Json, _now: number): Promise<boolean> {
    const entity = toEntity({ ...claim, status: 'completed', outcome });
    const done = await unless([404, 412], null, () =>
      this.client.updateEntity(entity, 'Replace', { etag: claim.etag }),
    );
    return done !== null;
  }

  async release(claim: ClaimRecord): Promise<boolean> {
    const pk = escapeKey(claim.action);
    const rk = escapeKey(claim.key);
    const gone = await unless([404, 412], null, () => this.client.deleteEntity(pk, rk, { etag: claim.etag }));
    return gone !== null;
  }

  async hold(claim: ClaimRecord, until: number, outcome: Json): Promise<ClaimRecord | null> {
    const held = { ...claim, status: 'in-progress' as const, expiresAt: until, outcome };
    const entity = toEntity(held);
    const done = await unless([404, 412], null, () =>
      this.client.updateEntity(entity, 'Replace', { etag: claim.etag }),
    );
    return done === null ? null : fromRow(written(entity, done.etag));
  }

  async get(action: string, key: string): Promise<ClaimRecord | null> {
    const e = await getOrNull(this.client, escapeKey(action), escapeKey(key));
    return e ? fromRow(e) : null;
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    let deleted = 0;
    // Single ETag-conditional deletes: a claim taken over since the query (new claimedAt) must survive.
    for await (const e of queryEntities(this.client, `claimedAt lt ${int64(cutoff)}`, {
      select: ['PartitionKey', 'RowKey'],
    })) {
      const gone = await unless([404, 412], null, () =>
        this.client.deleteEntity(e.partitionKey, e.rowKey, { etag: e.etag }),
      );
      if (gone) deleted += 1;
    }
    return deleted;
  }
}

function freshEntity(input: ClaimInput): WriteEntity {
  return toEntity(freshClaim(input));
}

function toEntity(c: Omit<ClaimRecord, 'etag'>): WriteEntity {
  const partitionKey = escapeKey(c.action);
  const rowKey = escapeKey(c.key);
  return compact({
    partitionKey,
    rowKey,
    // An idempotency key names its target (a serial number can be hostile and long): kept when hashed.
    ...keyTextProp(PARTITION_KEY_TEXT, partitionKey, c.action),
    ...keyTextProp(ROW_KEY_TEXT, rowKey, c.key),
    status: c.status,
    payloadHash: c.payloadHash,
    owner: c.owner,
    claimedAt: epoch(c.claimedAt),
    expiresAt: epoch(c.expiresAt),
    ...jsonProps('outcome', c.outcome),
  });
}

function fromRow({ partitionKey, rowKey, etag, props }: Row): ClaimRecord {
  return {
    action: keyValue(partitionKey, props, PARTITION_KEY_TEXT),
    key: keyValue(rowKey, props, ROW_KEY_TEXT),
    status: need(readString(props, 'status'), 'status') as ClaimStatus,
    payloadHash: readString(props, 'payloadHash') ?? '',
    owner: readString(props, 'owner') ?? '',
    claimedAt: need(readNumber(props, 'claimedAt'), 'claimedAt'),
    expiresAt: need(readNumber(props, 'expiresAt'), 'expiresAt'),
    outcome: readJson(props, 'outcome'),
    etag,
  };
}
