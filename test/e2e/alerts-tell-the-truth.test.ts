import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WebhookEvent } from '../../shared/core/alerts/index.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { validateTeamsPayload } from '../support/adaptive-cards.js';
import { withAzurite } from '../support/azurite.js';
import { startReceiver, type Receiver } from '../integration/alerts/receiver.js';
import { runCli } from './cli-process.js';

// Issue 17 "done when": the demo swept by the CLI process with a Teams Workflows receiver and a signed webhook
// receiver on loopback. The digest counts what the CLI counts, the worker's outcome summary lists what it did, and
// a second sweep after the fixes took effect sends resolved notices and nothing else.

const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
const SECRET = 'e2e-webhook-secret-0123456789abcdef';

interface SweepJson {
  findings: { new: boolean }[];
  decisions: { kind: string }[];
  actions: { action: string; status: string; target: unknown }[];
}

let azurite: Awaited<ReturnType<typeof withAzurite>>;
let sim: Simulator;
let teams: Receiver;
let webhook: Receiver;

beforeAll(async () => {
  [azurite, sim, teams, webhook] = await Promise.all([
    withAzurite(),
    startSimulator({ scenario: 'demo', port: 0 }),
    startReceiver(),
    startReceiver(() => ({ status: 204 })),
  ]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop(), teams?.close(), webhook?.close()]);
});

const env = () => ({
  GRAPH_BASE_URL: sim.url,
  GRAPH_TOKEN: sim.token,
  STORAGE_CONNECTION_STRING: azurite.connectionString,
  TABLE_PREFIX: 'truth',
  REMEDIATION_MODE: 'enforce',
  DEVICE_PREP_GROUPS: JSON.stringify([
    {
      groupId: DEMO_GROUP,
      policyName: 'Contoso Win11 device preparation',
      policyId: '7a000000-0000-4000-8000-000000000001',
    },
  ]),
  TENANT_NAME: 'e2e',
  TEAMS_WORKFLOW_URL: teams.url,
  TEAMS_MIN_SEVERITY: 'info',
  WEBHOOK_URL: webhook.url,
  WEBHOOK_SECRET: SECRET,
  WEBHOOK_MIN_SEVERITY: 'info',
  // One new device is enough for a digest: the demo's first run must come as one.
  ALERT_DIGEST_THRESHOLD: '1',
});

/** Every webhook delivery since `from`, verified by the maintained Standard Webhooks library. */
function events(from: number): WebhookEvent[] {
  const wh = new Webhook(SECRET, { format: 'raw' });
  return webhook.requests
    .slice(from)
    .map((r) => wh.verify(r.body, r.headers as Record<string, string>) as WebhookEvent);
}

describe('alerts tell the truth (CLI process, loopback receivers)', () => {
  let firstEvents: WebhookEvent[] = [];
  let first: SweepJson;

  it('first sweep: the digest counts every new finding; the outcome summary lists every remediation', async () => {
    const run = await runCli(['sweep', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    first = JSON.parse(run.stdout) as SweepJson;
    firstEvents = events(0);

    const digests = firstEvents.filter((e) => e.eventType === 'run.digest');
    expect(digests).toHaveLength(1);
    const facts = digests[0]!.data.facts;
    expect(facts['New findings']).toBe(first.findings.filter((f) => f.new).length);
    expect(facts['Needs a person']).toBe(first.decisions.filter((d) => d.kind === 'alert-only').length);
    expect(facts['Handed to automatic remediation']).toBe(
      first.decisions.filter((d) => d.kind === 'remediate' || d.kind === 'defer').length,
    );

    const summaries = firstEvents.filter((e) => e.eventType === 'run.outcomes');
    expect(summaries).toHaveLength(1);
    const summary = summaries[0]!;
    expect(summary.data.facts.Commands).toBe(first.actions.length);
    const succeeded = first.actions.filter((a) => a.status === 'succeeded').length;
    expect(first.actions.length).toBeGreaterThanOrEqual(3);
    expect(summary.data.title).toContain(`${summary.data.items.length} done`);
    expect(new Set(summary.data.items.map((i) => i.code))).toEqual(new Set(first.actions.map((a) => a.action)));
    expect(summary.data.items.every((i) => i.evidence.status === 'succeeded')).toBe(succeeded === first.actions.length);
    // Device-preparation members are named by device name, never by their Entra object id.
    expect(summary.data.items.map((i) => i.subject.key).filter((k) => /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(k))).toEqual([]);

    // Teams got the same alerts as cards the Adaptive Cards SDK accepts.
    expect(teams.requests.length).toBe(firstEvents.length);
    for (const r of teams.requests) expect(validateTeamsPayload(JSON.parse(r.body))).toEqual([]);
  });

  it('second sweep after the fixes took effect: resolved notices for what was remediated, and nothing else', async () => {
    const before = webhook.requests.length;
    const teamsBefore = teams.requests.length;
    const run = await runCli(['sweep', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const second = events(before);
    expect(second.length).toBeGreaterThan(0);
    expect(second.map((e) => e.eventType).filter((t) => t !== 'finding.resolved')).toEqual([]);
    // One notice per remediated finding: the unblocked device, the restored owner, each device added to the group.
    const remediatedSubjects = first.actions.flatMap((a) => {
      const t = a.target as { action: string; members?: unknown[] };
      return t.members ? t.members : [t];
    }).length;
    expect(second).toHaveLength(remediatedSubjects);
    expect(new Set(second.map((e) => e.id)).size).toBe(second.length);
    expect(teams.requests.length - teamsBefore).toBe(second.length);
  });
});
