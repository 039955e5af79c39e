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
  });
}
