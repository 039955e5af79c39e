import { describe, expect, it } from 'vitest';

import type { ApprovalRequest } from '../../shared/core/approvals/index.js';
import { request, DELETE_RECORD, DEREGISTER } from '../unit/app/approvals/fixtures.js';
import { T0, type MakeStores } from './fixtures.js';

export function describeApprovalStore(name: string, makeStores: MakeStores): void {
  describe(`ApprovalStore contract: ${name}`, () => {
    it('stores a request exactly as proposed; a second create of the same id is refused', async () => {
      const { approvals } = await makeStores();
      const r = request(DELETE_RECORD, {
        evidence: { serialNumber: 'SN-1', hostile: '<script>\u0000\u202e', n: 3, ok: true, none: null },
        docs: [
          {
            page: {
              title: 'Windows Autopilot - known issues',
              url: 'https://learn.microsoft.com/autopilot/known-issues',
            },
            section: 'Delete device record',
          },
        ],
      });
      expect(await approvals.create(r)).toBe(true);
      expect(await approvals.create({ ...r, reason: 'other' })).toBe(false);
      const { etag, ...stored } = (await approvals.get(r.id))!;
      expect(etag).toEqual(expect.any(String));
      expect(stored).toEqual(r);
      expect(await approvals.get('f'.repeat(32))).toBeNull();
      expect(await approvals.get("' or 1 eq 1")).toBeNull();
    });

    it('exactly one decision wins: a stale record (or a second decision) is refused', async () => {
      const { approvals } = await makeStores();
      const r = request(DEREGISTER);
      await approvals.create(r);
      const read = (await approvals.get(r.id))!;
      const [a, b] = await Promise.all([
        approvals.decide(read, { status: 'approved', by: 'alice@contoso.com', at: T0 + 1 }),
        approvals.decide(read, { status: 'rejected', by: 'bob@contoso.com', at: T0 + 2 }),
      ]);
      const winners = [a, b].filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      const now = (await approvals.get(r.id))!;
      expect(now.status).toBe(winners[0]!.status);
      expect(now.decidedBy).toBe(winners[0]!.decidedBy);
      // Replaying with the fresh record: already decided.
      expect(await approvals.decide(now, { status: 'approved', by: 'mallory', at: T0 + 3 })).toBeNull();
      expect((await approvals.get(r.id))!.decidedBy).toBe(now.decidedBy);
    });

    it('lists newest first, filters by status, and finds the requests made for a finding and action', async () => {
      const { approvals } = await makeStores();
      const older = request(DEREGISTER, { fingerprint: 'fp-a', createdAt: T0 - 60_000 });
      const newer = request(DEREGISTER, { fingerprint: 'fp-a', createdAt: T0 });
      const other: ApprovalRequest = { ...request(DELETE_RECORD, { fingerprint: 'fp-b' }), id: 'b'.repeat(32) };
      const fixedOlder = { ...older, id: 'a'.repeat(32) };
      for (const r of [fixedOlder, newer, other]) await approvals.create(r);
      const rejected = (await approvals.get(other.id))!;
      await approvals.decide(rejected, { status: 'rejected', by: 'alice', at: T0 });
      expect((await approvals.list({ limit: 10 })).map((r) => r.id)).toEqual([
        ...[newer.id, other.id].sort(),
        fixedOlder.id,
      ]);
      expect((await approvals.list({ limit: 1 })).length).toBe(1);
      expect((await approvals.list({ status: 'rejected', limit: 10 })).map((r) => r.id)).toEqual([other.id]);
      expect((await approvals.list({ status: 'pending', limit: 10 })).map((r) => r.id)).toEqual([
        newer.id,
        fixedOlder.id,
      ]);
      expect((await approvals.forFinding('fp-a', 'deregister-autopilot-device')).map((r) => r.id)).toEqual([
        newer.id,
        fixedOlder.id,
      ]);
      expect(await approvals.forFinding('fp-a', 'delete-intune-device-record')).toEqual([]);
      expect(await approvals.forFinding("fp-a' or 'x' eq 'x", 'deregister-autopilot-device')).toEqual([]);
    });

    it('records the worker outcome on the request (the latest wins) without touching the decision', async () => {
      const { approvals } = await makeStores();
      const r = request(DEREGISTER);
      await approvals.create(r);
      await approvals.decide((await approvals.get(r.id))!, { status: 'approved', by: 'alice', at: T0 });
      await approvals.recordExecution(r.id, { status: 'refused', detail: 'first', at: T0 + 1 });
      await approvals.recordExecution(r.id, { status: 'succeeded', detail: 'DELETE …: written', at: T0 + 2 });
      const now = (await approvals.get(r.id))!;
      expect(now.execution).toEqual({ status: 'succeeded', detail: 'DELETE …: written', at: T0 + 2 });
      expect(now.status).toBe('approved');
      expect(now.decidedBy).toBe('alice');
    });

    it('finds a request for its finding once, as it stands after its decision and execution', async () => {
      const { approvals } = await makeStores();
      const r = request(DEREGISTER, { fingerprint: 'fp-c' });
      // A fingerprint that spells another finding and action joined by a separator must not match it.
      const lookalike = {
        ...request(DEREGISTER, { fingerprint: 'fp-c","deregister-autopilot-device' }),
        id: 'c'.repeat(32),
      };
      expect(await approvals.create(r)).toBe(true);
      expect(await approvals.create(r)).toBe(false);
      expect(await approvals.create(lookalike)).toBe(true);
      await approvals.decide((await approvals.get(r.id))!, { status: 'approved', by: 'alice', at: T0 });
      await approvals.recordExecution(r.id, { status: 'planned', detail: 'plan mode', at: T0 + 1 });
      const found = await approvals.forFinding('fp-c', 'deregister-autopilot-device');
      expect(found.map((f) => [f.id, f.status, f.execution?.status])).toEqual([[r.id, 'approved', 'planned']]);
      expect(
        (await approvals.forFinding(lookalike.fingerprint, 'deregister-autopilot-device')).map((f) => f.id),
      ).toEqual([lookalike.id]);
    });
    it('deleteOlderThan removes only requests retired before the cutoff: decided, or expired, with nothing after it', async () => {
      const { approvals } = await makeStores();
      const DAY = 86_400_000;
      const cutoff = T0 + 100 * DAY;
      const at = (id: string, over: Partial<ApprovalRequest>): ApprovalRequest => ({
        ...request(DEREGISTER, { fingerprint: `fp-${id}`, ...over }),
        id: id.repeat(32),
      });
      // Pending, expired a day after it was made, long before the cutoff: retired.
      const expired = at('1', {});
      // Pending and still open at the cutoff (made long ago, expiring after it): kept.
      const open = at('2', { expiresAt: cutoff + DAY });
      // Rejected before the cutoff: retired. Approved before it but executed after it: kept.
      const rejected = at('3', {});
      const executedLate = at('4', {});
      // Made after the cutoff: kept.
      const recent = at('5', { createdAt: cutoff + 1, expiresAt: cutoff + DAY });
      for (const r of [expired, open, rejected, executedLate, recent]) expect(await approvals.create(r)).toBe(true);
      await approvals.decide((await approvals.get(rejected.id))!, { status: 'rejected', by: 'alice', at: T0 + DAY });
      await approvals.decide((await approvals.get(executedLate.id))!, { status: 'approved', by: 'bob', at: T0 + DAY });
      await approvals.recordExecution(executedLate.id, { status: 'succeeded', detail: 'written', at: cutoff + 5 });

      expect(await approvals.deleteOlderThan(cutoff)).toBe(2);
      expect(await approvals.get(expired.id)).toBeNull();
      expect(await approvals.get(rejected.id)).toBeNull();
      expect(await approvals.forFinding(`fp-${'1'}`, 'deregister-autopilot-device')).toEqual([]);
      expect((await approvals.list({ limit: 10 })).map((r) => r.id).sort()).toEqual(
        [open.id, executedLate.id, recent.id].sort(),
      );
      expect((await approvals.forFinding('fp-4', 'deregister-autopilot-device')).map((r) => r.id)).toEqual([
        executedLate.id,
      ]);
      // A second clean-up finds nothing more; a day after the last of them expired or ran, the others are retired too.
      expect(await approvals.deleteOlderThan(cutoff)).toBe(0);
      expect(await approvals.deleteOlderThan(cutoff + 2 * DAY)).toBe(3);
      expect(await approvals.list({ limit: 10 })).toEqual([]);
    });
  });
}
