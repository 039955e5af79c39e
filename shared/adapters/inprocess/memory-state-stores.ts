import { NO_PACING } from '../../core/governor/index.js';
import { escapeKey } from '../../core/keys.js';
import type { OutcomeStatus } from '../../core/model/index.js';
import type {
  AlertStateRecord,
  AlertStateStore,
  FindingRecord,
  FindingStore,
  GovernorState,
  GovernorStore,
  RunCommandRecord,
  RunLockStore,
  RunOutcomeStore,
  Watermark,
  WatermarkStore,
} from '../../ports/stores.port.js';
import { MAX_RUNS_PER_KEY } from '../../ports/stores.port.js';
import { MemoryTable, settle } from './memory-table.js';

export const GOVERNOR_ROW = 'autopilot-sync';

export class MemoryFindingStore implements FindingStore {
  private readonly table = new MemoryTable<FindingRecord>();

  get(subjectKey: string, code: string): Promise<FindingRecord | null> {
    return settle(() => this.table.get(escapeKey(subjectKey), escapeKey(code))?.value ?? null);
  }

  listOpen(): Promise<FindingRecord[]> {
    return settle(() => this.table.scan({ where: (r) => r.value.status === 'open' }).map((r) => r.value));
  }

  listBySubject(subjectKey: string): Promise<FindingRecord[]> {
    return settle(() => {
      const pk = escapeKey(subjectKey);
      return this.table.scan({ partitionKey: pk }).map((r) => r.value);
    });
  }

  upsertMany(records: readonly FindingRecord[]): Promise<void> {
    return settle(() => {
      const keyed = records.map((f) => ({ pk: escapeKey(f.subjectKey), rk: escapeKey(f.code), f }));
      for (const { pk, rk, f } of keyed) this.table.put(pk, rk, f);
    });
  }
}

function emptyGovernorState(tenant: string): GovernorState {
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

export class MemoryGovernorStore implements GovernorStore {
  private readonly table = new MemoryTable<Omit<GovernorState, 'etag'>>();

  get(tenant: string): Promise<GovernorState> {
    return settle(() => {
      const row = this.table.get(escapeKey(tenant), GOVERNOR_ROW);
      return row ? { ...row.value, etag: row.etag } : emptyGovernorState(tenant);
    });
  }

  /** etag null = create only; otherwise replace only at that ETag. null = someone else wrote first. */
  put(state: GovernorState): Promise<GovernorState | null> {
    return settle(() => {
      const { etag, ...value } = state;
      const pk = escapeKey(state.tenant);
      const row =
        etag === null ? this.table.insert(pk, GOVERNOR_ROW, value) : this.table.replace(pk, GOVERNOR_ROW, value, etag);
      return row ? { ...row.value, etag: row.etag } : null;
    });
  }
}

export class MemoryWatermarkStore implements WatermarkStore {
  private readonly table = new MemoryTable<Watermark>();

  get(tenant: string, stream: string): Promise<Watermark | null> {
    return settle(() => this.table.get(escapeKey(tenant), escapeKey(stream))?.value ?? null);
  }

  put(tenant: string, mark: Watermark): Promise<void> {
    return settle(() => {
      this.table.put(escapeKey(tenant), escapeKey(mark.stream), mark);
    });
  }
}

export class MemoryAlertStateStore implements AlertStateStore {
  private readonly table = new MemoryTable<AlertStateRecord>();

  get(channel: string, dedupeKey: string): Promise<AlertStateRecord | null> {
    return settle(() => this.table.get(escapeKey(channel), escapeKey(dedupeKey))?.value ?? null);
  }

  tryAcquire(
    channel: string,
    dedupeKey: string,
    now: number,
    windowStart: number,
    windowOpenedAt: number = now,
  ): Promise<boolean> {
    return settle(() => {
      const pk = escapeKey(channel);
      const rk = escapeKey(dedupeKey);
      const current = this.table.get(pk, rk)?.value;
      if (current && current.lastSentAt >= windowStart) return false;
      const count = (current?.count ?? 0) + 1;
      this.table.upsert(pk, rk, { channel, dedupeKey, lastSentAt: now, count, lastStatus: 'sending', windowOpenedAt });
      return true;
    });
  }

  recordResult(channel: string, dedupeKey: string, status: string): Promise<void> {
    return settle(() => {
      const pk = escapeKey(channel);
      const rk = escapeKey(dedupeKey);
      const current = this.table.get(pk, rk);
      // Nothing to annotate if no send was ever acquired; inventing a row would fake a lastSentAt.
      if (current) this.table.upsert(pk, rk, { ...current.value, lastStatus: status });
    });
  }
}

export class MemoryRunLockStore implements RunLockStore {
  private readonly table = new MemoryTable<{ slot: string; startedAt: number }>();

  tryStartRun(slot: string, now: number): Promise<boolean> {
    return settle(() => this.table.insert('run', escapeKey(slot), { slot, startedAt: now }) !== null);
  }
}

export class MemoryRunOutcomeStore implements RunOutcomeStore {
  private readonly table = new MemoryTable<RunCommandRecord>();
  /** `expecting|<key>` → the runs expecting it, as the Table adapter keeps them. */
  private readonly expecting = new MemoryTable<{ runId: string; expectedAt: number }>();
  /** When each command row was written (the Table adapter keeps it on the row itself, as `expectedAt`). */
  private readonly expectedAt = new Map<string, { pk: string; rk: string; at: number }>();

  expect(
    runId: string,
    commands: readonly Pick<RunCommandRecord, 'idempotencyKey' | 'action' | 'subjects'>[],
    at: number,
  ): Promise<void> {
    return settle(() => {
      for (const c of commands)
        this.expecting.upsert(escapeKey(`expecting|${c.idempotencyKey}`), escapeKey(runId), { runId, expectedAt: at });
      for (const c of commands) {
        const pk = escapeKey(`outcomes|${runId}`);
        const rk = escapeKey(c.idempotencyKey);
        this.expectedAt.set(`${pk}\u0000${rk}`, { pk, rk, at });
        this.table.upsert(pk, rk, {
          ...c,
          subjects: [...c.subjects],
          status: null,
          detail: null,
          finishedAt: null,
        });
      }
    });
  }

  record(
    runId: string,
    idempotencyKey: string,
    outcome: { status: OutcomeStatus; detail: string },
    at: number,
  ): Promise<boolean> {
    return settle(() => {
      const pk = escapeKey(`outcomes|${runId}`);
      const rk = escapeKey(idempotencyKey);
      const current = this.table.get(pk, rk);
      if (!current) return false;
      this.table.upsert(pk, rk, {
        ...current.value,
        status: outcome.status,
        detail: outcome.detail.slice(0, 1_000),
        finishedAt: at,
      });
      return true;
    });
  }

  list(runId: string): Promise<RunCommandRecord[]> {
    const pk = escapeKey(`outcomes|${runId}`);
    return settle(() => this.table.scan({ partitionKey: pk }).map((r) => r.value));
  }

  runsExpecting(idempotencyKey: string): Promise<string[]> {
    const pk = escapeKey(`expecting|${idempotencyKey}`);
    return settle(() => this.expecting.scan({ partitionKey: pk, limit: MAX_RUNS_PER_KEY }).map((r) => r.value.runId));
  }

  deleteOlderThan(cutoff: number): Promise<number> {
    return settle(() => {
      let deleted = 0;
      for (const row of this.expecting.scan({ where: (r) => r.value.expectedAt < cutoff }))
        if (this.expecting.delete(row.partitionKey, row.rowKey)) deleted += 1;
      for (const [id, row] of this.expectedAt) {
        if (row.at >= cutoff) continue;
        if (this.table.delete(row.pk, row.rk)) deleted += 1;
        this.expectedAt.delete(id);
      }
      return deleted;
    });
  }
}
