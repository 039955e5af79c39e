// A tenant with many reasons to sync (thousands of devices whose import or profile assignment waits for the service)
// must still get its one sync. The reasons are finding fingerprints: parked on the tenant's governor row (Azurite,
// where an entity is at most 1 MiB) and carried by the sync command (a Service Bus message, at most 256 KB on the
// Standard tier, and at most 10,000 reasons by the worker's message checks). Both stay bounded; one sync answers all.
import { describe, expect, it } from 'vitest';

import { parseCommand } from '../../../shared/adapters/servicebus/command-schema.js';
import { toServiceBusMessage } from '../../../shared/adapters/servicebus/message.js';
import { enqueueDecisions, executeRemediation } from '../../../shared/app/remediation/index.js';
import type { Finding } from '../../../shared/core/model/index.js';
import { decide, planRun } from '../../../shared/core/policy/index.js';
import type { Stores } from '../../../shared/ports/index.js';
import { ENFORCE_POLICY, harness, T0 } from '../../unit/app/remediation/support.js';
import { azuriteForFile } from '../../support/azurite.js';
import { tableStores } from './support.js';

const azurite = azuriteForFile();

/** A fingerprint as the detectors make them (16 hex digits). */
const fp = (i: number): string => i.toString(16).padStart(16, '0');

const syncFinding = (i: number): Finding => ({
  code: 'AP_IMPORT_NOT_VISIBLE',
  subject: { kind: 'device', key: `SN-${i}`, serialNumber: `SN-${i}`, autopilotId: null },
  severity: 'warning',
  title: 'imported device not visible',
  evidence: {},
  fingerprint: fp(i),
  remedy: { action: 'autopilot-sync' },
});

function planWithReasons(count: number) {
  const decisions = Array.from({ length: count }, (_, i) =>
    decide(syncFinding(i), {
      history: { attemptsLast24h: 0, lastAttemptAt: null, finding: null },
      now: T0,
      policy: ENFORCE_POLICY,
      allowedGroupIds: [],
    }),
  );
  return planRun(decisions, { size: 1_000_000, source: 'test fleet' }, ENFORCE_POLICY, 'contoso', 'run-many', T0);
}

describe('a sync for many reasons (Azurite governor row)', () => {
  it.each([12_000, 30_000])(
    '%i reasons: the poll parks them, its command passes the message checks, and one sync clears the row',
    async (count) => {
      const h = harness();
      const stores: Stores = await tableStores(azurite, 'govMany');
      const deps = h.deps({ governor: stores.governor });

      // Before: 30,000 fingerprints no longer fitted one entity ("pendingReasons is too large for one table
      // entity"), so every poll failed here, after recording its decisions and before sending any command.
      await enqueueDecisions(planWithReasons(count), deps);

      const sent = h.queue.sent.map((s) => s.command);
      expect(sent).toHaveLength(1);
      // A decision names the one command that answers it, also when its fingerprint is not listed in the message.
      const last = `SN-${count - 1}`;
      expect(sent[0]!.reasons).not.toContain(fp(count - 1));
      const decision = await h.stores.history.query({ subjectKey: last, type: 'decision', limit: 1 });
      expect(decision.items[0]?.idempotencyKey).toBe(sent[0]!.idempotencyKey);
      // Before: 12,000 reasons went out and the worker refused the message (reasons: at most 10,000): no sync ever.
      const message = toServiceBusMessage(sent[0]!, null);
      expect(Buffer.byteLength(JSON.stringify(message.body))).toBeLessThan(256 * 1024);
      const parsed = parseCommand(message.body);
      expect(parsed.ok ? null : parsed.reason).toBeNull();
      if (!parsed.ok) return;

      const row = await stores.governor.get('contoso');
      expect(row.pendingReasons.length).toBeLessThanOrEqual(1_000);
      expect(row.pendingReasons.length + (row.unlisted?.count ?? 0)).toBe(count);

      const outcome = await executeRemediation(parsed.command, deps);
      expect(outcome.status).toBe('succeeded');
      expect(h.tenant.writes.map((w) => w.method)).toEqual(['triggerAutopilotSync']);
      expect(await stores.governor.get('contoso')).toMatchObject({ pendingReasons: [], unlisted: null });
    },
  );
});
