import { listedReasons } from '../governor/pending-reasons.js';
import type { Mode } from '../model/index.js';
import { syncKey } from '../policy/keys.js';
import { profileSyncGate } from '../policy/sync-caps.js';
import type { ActionModule } from './types.js';

// Trigger the Autopilot service sync (POST windowsAutopilotSettings/sync): tenant-wide, so every reason of a run
// becomes ONE command, and its own caps (policy/sync-caps.ts) replace the per-device limits.

export const autopilotSync: ActionModule<'autopilot-sync'> = {
  name: 'autopilot-sync',
  enabledByDefault: true,
  subjectKind: 'tenant',
  fleet: 'autopilot',
  rule: {
    call: '`POST /beta/deviceManagement/windowsAutopilotSettings/sync`',
    gates: [
      "the tenant's 10-minute sync window is open (the later of the service's `lastManualSyncTriggerDateTime` and our last trigger, + 10 min); otherwise one scheduled message waits for it",
      'no sync is running; 409 and 429 are deferrals, never retried',
      'all reasons of a run are coalesced into one call',
    ],
    caps: [
      '{SYNC_MAX_PER_FINDING_PER_DAY} syncs per finding in 24 h (every sync after it was first seen counts), then one escalation: "sync did not fix this"',
      '{SYNC_MAX_PER_DAY} syncs per tenant in 24 h, whatever the reasons; further reasons wait for the window',
    ],
  },
  describe: () => 'trigger the Autopilot service sync',
  blastTarget: () => 'tenant|sync',
  safetyGate: (finding, _remedy, _flags, ctx) => profileSyncGate(finding, ctx.policy),
  commands: (acting, { tenant, now, make }) => {
    if (acting.length === 0) return [];
    const mode: Mode = acting.some((d) => d.mode === 'enforce') ? 'enforce' : 'plan';
    return [
      make(
        { action: 'autopilot-sync' },
        mode,
        syncKey(tenant, now),
        // A sample: one sync answers every reason, and the poll parks them all on the governor row.
        listedReasons(acting.map((d) => d.finding.fingerprint)),
      ),
    ];
  },
  subjectKeys: () => ['tenant'],
  targetProblems: () => [],
};
