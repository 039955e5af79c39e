import { claimVerdict, freshClaim } from '../../core/claims.js';
import { escapeKey } from '../../core/keys.js';
import type { ClaimRecord, ClaimResult, ClaimStore, Json } from '../../ports/stores.port.js';
import { MemoryTable, settle, type MemoryRow } from './memory-table.js';

type StoredClaim = Omit<ClaimRecord, 'etag'>;
type ClaimInput = Parameters<ClaimStore['claim']>[0];

// Same state machine as the Table adapter (create → exists → read → completed / in-progress / expired → take
// over), minus the races: each call runs to completion before the next, which is what the ETags ensure there.
export class MemoryClaimStore implements ClaimStore {
  private readonly table = new MemoryTable<StoredClaim>();

  claim(input: ClaimInput): Promise<ClaimResult> {
    return settle((): ClaimResult => {
      const pk = escapeKey(input.action);
      const rk = escapeKey(input.key);
      const fresh: StoredClaim = freshClaim(input);
      const existing = this.table.get(pk, rk);
      if (!existing) return { kind: 'claimed', claim: toRecord(this.table.upsert(pk, rk, fresh)), tookOver: false };
      const current = toRecord(existing);
      const verdict = claimVerdict(current, input);
      if (verdict !== 'expired') return { kind: verdict, claim: current };
      return { kind: 'claimed', claim: toRecord(this.table.upsert(pk, rk, fresh)), tookOver: true };
    });
  }

  complete(claim: ClaimRecord, outcome: Json, _now: number): Promise<boolean> {
    return settle(() => {
      const { etag, ...stored } = claim;
      const done: StoredClaim = { ...stored, status: 'completed', outcome };
      return this.table.replace(escapeKey(claim.action), escapeKey(claim.key), done, etag) !== null;
    });
  }

  release(claim: ClaimRecord): Promise<boolean> {
    return settle(() => this.table.delete(escapeKey(claim.action), escapeKey(claim.key), claim.etag));
  }

  hold(claim: ClaimRecord, until: number, outcome: Json): Promise<ClaimRecord | null> {
    return settle(() => {
      const { etag, ...stored } = claim;
      const held: StoredClaim = { ...stored, status: 'in-progress', expiresAt: until, outcome };
      const row = this.table.replace(escapeKey(claim.action), escapeKey(claim.key), held, etag);
      return row === null ? null : toRecord(row);
    });
  }

  get(action: string, key: string): Promise<ClaimRecord | null> {
    return settle(() => {
      const row = this.table.get(escapeKey(action), escapeKey(key));
      return row ? toRecord(row) : null;
    });
  }

  deleteOlderThan(cutoff: number): Promise<number> {
    return settle(() => {
      const old = this.table.scan({ where: (row) => row.value.claimedAt < cutoff });
      return old.filter((row) => this.table.delete(row.partitionKey, row.rowKey, row.etag)).length;
    });
  }
}

function toRecord(row: MemoryRow<StoredClaim>): ClaimRecord {
  return { ...row.value, etag: row.etag };
}
