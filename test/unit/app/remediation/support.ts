// Test support for the remediation use cases.
//
// FakeTenant below is a SCRIPTED IN-MEMORY STAND-IN for Graph (IntuneActions + the two readers), used by the
// unit tests only. The integration tests in test/integration/remediation run the same use cases against the
// tenant simulator over real HTTP instead.
import { createMemoryStores } from '../../../../shared/adapters/inprocess/memory-stores.js';
import type { RemediationDeps } from '../../../../shared/app/remediation/index.js';
import type { PolicySettings } from '../../../../shared/core/policy/index.js';
import type {
  Alert,
  AutopilotDevice,
  AutopilotSettings,
  CommandTarget,
  DirectoryObjectRef,
  Evidence,
  EntraDevice,
  GroupInfo,
  Mode,
  RemediationCommand,
} from '../../../../shared/core/model/index.js';
import type {
  AlertSink,
  AutopilotReader,
  DeliveryResult,
  DeviceLookupReader,
  DirectoryReader,
  FindingRecord,
  FindingStore,
  IntuneActions,
  Logger,
  RemediationQueue,
  Stores,
  SyncResult,
  WriteResult,
  EnrollmentTimeTarget,
} from '../../../../shared/ports/index.js';

export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
export const MIN = 60_000;
export const GROUP = '11111111-1111-4111-8111-111111111111';
export const SP = '33333333-3333-4333-8333-333333333333';
export const PROVISIONING_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
/** The device-preparation policy whose devices belong in GROUP (DEVICE_PREP_GROUPS). */
export const POLICY_NAME = 'Contoso device preparation';
/** Its configurationPolicies id; the fake policy's enrollment-time target is GROUP unless a test changes it. */
export const POLICY_ID = '44444444-4444-4444-8444-444444444444';
/** An Autopilot identity id (a GUID, as Graph gives them) derived from a serial number. */
export const apId = (serial: string): string => {
  const hex = [...serial]
    .map((c) => c.charCodeAt(0).toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 12)
    .padStart(12, '0');
  return `a0000000-0000-4000-8000-${hex}`;
};

/**
 * The open AP_USERLESS_BLOCKED finding the poll records for a blocked device it would unblock: its latest deployment a
 * pre-provisioning run refused with 0x80180014 that started at `failedAt` (the worker re-checks the unblock gate
 * against it). `evidence` overrides the recorded deployment.
 */
export function unblockFinding(
  serial: string,
  failedAt: number,
  evidence: Evidence = {},
  autopilotId = apId(serial),
): FindingRecord {
  const key = serial.trim().toUpperCase();
  return {
    subjectKey: key,
    code: 'AP_USERLESS_BLOCKED',
    fingerprint: `fp-${serial}`,
    severity: 'error',
    title: 'blocked',
    status: 'open',
    firstSeenAt: failedAt,
    lastSeenAt: failedAt,
    resolvedAt: null,
    attempts: 0,
    lastAttemptAt: null,
    evidence: {
      autopilotId,
      serialNumber: serial,
      userlessEnrollmentStatus: 'blocked',
      lastDeploymentEventId: `ev-${serial}-${failedAt}`,
      lastDeploymentSerialNumber: serial,
      lastDeploymentState: 'failure',
      lastDeploymentEnrollmentType: 'azureADJoinedWithWhiteGlove',
      lastDeploymentFailureCode: '0x80180014',
      lastDeploymentStartedAt: failedAt,
      ...evidence,
    },
    subject: { kind: 'device', key, serialNumber: serial, autopilotId },
    remedy: { action: 'allow-next-enrollment', autopilotId, serialNumber: serial },
  };
}

/** Every action enabled and in enforce mode (the configuration the worker checks messages against). */
export const ENFORCE_POLICY: PolicySettings = {
  defaultMode: 'enforce',
  enabledActions: ['autopilot-sync', 'allow-next-enrollment', 'add-to-device-prep-group', 'restore-device-prep-owner'],
  actionModes: {
    'autopilot-sync': 'enforce',
    'allow-next-enrollment': 'enforce',
    'add-to-device-prep-group': 'enforce',
    'restore-device-prep-owner': 'enforce',
    'delete-intune-device-record': 'enforce',
    'deregister-autopilot-device': 'enforce',
  },
  blastRadiusMaxDevices: 50,
  blastRadiusMaxPercent: 10,
  blastRadiusMinDevices: 5,
  cooldownMs: 60 * 60_000,
  maxAttemptsPerDay: 3,
  unblockRequiresFailureEvent: true,
};

/** The policy with one action's mode changed. */
export function policyWith(action: keyof PolicySettings['actionModes'], mode: Mode): PolicySettings {
  return { ...ENFORCE_POLICY, actionModes: { ...ENFORCE_POLICY.actionModes, [action]: mode } };
}

export class FixedClock {
  constructor(public t: number = T0) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface LogLine {
  readonly level: string;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, event, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export class CapturingAlertSink implements AlertSink {
  readonly channel = 'capture';
  readonly alerts: Alert[] = [];
  send(alert: Alert): Promise<DeliveryResult> {
    this.alerts.push(alert);
    return Promise.resolve({ channel: this.channel, delivered: true, status: '200' });
  }
}

export class RecordingQueue implements RemediationQueue {
  readonly sent: { command: RemediationCommand; notBefore: number | null }[] = [];
  send(command: RemediationCommand, notBefore?: number | null): Promise<void> {
    this.sent.push({ command, notBefore: notBefore ?? null });
    return Promise.resolve();
  }
}

interface FakeGroup {
  info: GroupInfo;
  members: Set<string>;
  owners: DirectoryObjectRef[];
}

type Failure = { method: keyof IntuneActions; error: Error };

/** Scripted in-memory Graph stand-in (unit tests only): state + call counters + queued failures. */
export class FakeTenant implements IntuneActions {
  readonly identities = new Map<string, AutopilotDevice>();
  readonly groups = new Map<string, FakeGroup>();
  /** Entra devices by object id. */
  readonly devices = new Map<string, EntraDevice>();
  /** Service principals by appId: the Intune Provisioning Client is SP. */
  readonly servicePrincipals = new Map<string, { objectId: string; appId: string; displayName: string | null }>([
    [PROVISIONING_APP_ID, { objectId: SP, appId: PROVISIONING_APP_ID, displayName: 'Intune Provisioning Client' }],
  ]);
  settings: AutopilotSettings = { lastSyncAt: null, lastManualSyncTriggerAt: null, syncStatus: 'completed' };
  /** Every write call, in order (the assertion target for "exactly one Graph write"). */
  readonly writes: { method: keyof IntuneActions; args: unknown[] }[] = [];
  private readonly failures: Failure[] = [];
  syncAnswers: SyncResult[] = [];
  /** Enrollment-time targets by policy id (retrieveEnrollmentTimeDeviceMembershipTarget); absent = no such policy. */
  readonly policyTargets = new Map<string, EnrollmentTimeTarget>([
    [POLICY_ID, { validationSucceeded: true, targets: [{ targetId: GROUP, error: null }] }],
  ]);
  private seq = 0;

  /** `findings`: where blockedDevice records the poll's finding (the harness passes its memory store). */
  constructor(
    private readonly clock: FixedClock,
    private readonly findings?: FindingStore,
  ) {}

  failNext(method: keyof IntuneActions, error: Error): void {
    this.failures.push({ method, error });
  }

  /** An Entra device enrolled through the device-preparation policy (enrollmentProfileName = POLICY_NAME). */
  device(objectId: string, enrollmentProfileName: string | null = POLICY_NAME): EntraDevice {
    const d: EntraDevice = {
      objectId,
      deviceId: objectId.replace(/^0/, 'e'),
      displayName: null,
      enrollmentProfileName,
      isAutopilotRegistered: false,
      trustType: 'AzureAd',
      createdAt: null,
    };
    this.devices.set(objectId, d);
    return d;
  }

  blockedDevice(serial: string, over: Partial<AutopilotDevice> = {}): AutopilotDevice {
    const d: AutopilotDevice = {
      id: apId(serial),
      serialNumber: serial,
      manufacturer: null,
      model: null,
      groupTag: null,
      displayName: null,
      enrollmentState: 'blocked',
      userlessEnrollmentStatus: 'blocked',
      remediationState: 'noRemediationRequired',
      remediationStateLastModifiedAt: null,
      profileAssignmentStatus: 'assignedInSync',
      profileAssignedAt: null,
      lastContactedAt: null,
      azureAdDeviceId: null,
      managedDeviceId: null,
      userPrincipalName: null,
      ...over,
    };
    this.identities.set(d.id, d);
    // As the poll records a device it would unblock (failed with 0x80180014 an hour ago); the memory store writes
    // before its promise settles, so the row is there when this returns.
    if (d.id === apId(serial)) void this.findings?.upsertMany([unblockFinding(serial, this.clock.now() - 60 * MIN)]);
    return d;
  }

  group(id: string, over: Partial<GroupInfo> = {}, members: string[] = [], owners: DirectoryObjectRef[] = []): void {
    this.groups.set(id, {
      info: {
        id,
        displayName: 'Device prep',
        securityEnabled: true,
        isDynamic: false,
        isAssignableToRole: false,
        ...over,
      },
      members: new Set(members),
      owners,
    });
  }

  private take(method: keyof IntuneActions): void {
    const i = this.failures.findIndex((f) => f.method === method);
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      throw f!.error;
    }
  }

  private rid(): string {
    this.seq += 1;
    return `req-${this.seq}`;
  }

  // IntuneActions
  triggerAutopilotSync(): Promise<SyncResult> {
    this.writes.push({ method: 'triggerAutopilotSync', args: [] });
    this.take('triggerAutopilotSync');
    const scripted = this.syncAnswers.shift();
    if (scripted) return Promise.resolve(scripted);
    this.settings = { ...this.settings, lastManualSyncTriggerAt: this.clock.now(), syncStatus: 'inProgress' };
    return Promise.resolve({ kind: 'started', requestId: this.rid() });
  }
  allowNextEnrollment(autopilotId: string): Promise<WriteResult> {
    this.writes.push({ method: 'allowNextEnrollment', args: [autopilotId] });
    this.take('allowNextEnrollment');
    const d = this.identities.get(autopilotId);
    if (d && d.remediationState !== 'automaticRemediationRequired') {
      this.identities.set(autopilotId, { ...d, enrollmentState: 'notContacted', userlessEnrollmentStatus: 'allowed' });
    }
    return Promise.resolve({ requestId: this.rid(), alreadyDone: false });
  }
  addGroupMembers(groupId: string, objectIds: readonly string[]): Promise<Map<string, WriteResult>> {
    this.writes.push({ method: 'addGroupMembers', args: [groupId, [...objectIds]] });
    this.take('addGroupMembers');
    const g = this.groups.get(groupId);
    const rid = this.rid();
    const out = new Map<string, WriteResult>();
    for (const id of objectIds) {
      const already = g?.members.has(id) ?? false;
      g?.members.add(id);
      out.set(id, { requestId: rid, alreadyDone: already });
    }
    return Promise.resolve(out);
  }
  addGroupOwner(groupId: string, objectId: string): Promise<WriteResult> {
    this.writes.push({ method: 'addGroupOwner', args: [groupId, objectId] });
    this.take('addGroupOwner');
    const g = this.groups.get(groupId);
    const already = g?.owners.some((o) => o.id === objectId) ?? false;
    if (g && !already) g.owners.push({ id: objectId, type: 'servicePrincipal', appId: PROVISIONING_APP_ID });
    return Promise.resolve({ requestId: this.rid(), alreadyDone: already });
  }

  /** Intune records by id (only the destructive action reads and deletes them). */
  readonly managedDevices = new Set<string>();

  deleteManagedDevice(managedDeviceId: string): Promise<WriteResult> {
    this.writes.push({ method: 'deleteManagedDevice', args: [managedDeviceId] });
    this.take('deleteManagedDevice');
    const existed = this.managedDevices.delete(managedDeviceId);
    return Promise.resolve({ requestId: this.rid(), alreadyDone: !existed });
  }

  deleteAutopilotDevice(autopilotId: string): Promise<WriteResult> {
    this.writes.push({ method: 'deleteAutopilotDevice', args: [autopilotId] });
    this.take('deleteAutopilotDevice');
    const existed = this.identities.delete(autopilotId);
    return Promise.resolve({ requestId: this.rid(), alreadyDone: !existed });
  }

  managedDeviceReader(): Pick<DeviceLookupReader, 'getManagedDevice'> {
    return {
      getManagedDevice: (id) =>
        Promise.resolve(
          this.managedDevices.has(id)
            ? {
                id,
                deviceName: null,
                serialNumber: null,
                azureAdDeviceId: null,
                complianceState: 'compliant',
                lastSyncAt: null,
                enrolledAt: null,
                enrollmentProfileName: null,
                autopilotEnrolled: true,
              }
            : null,
        ),
    };
  }

  readers(): { autopilot: AutopilotReader; directory: DirectoryReader } {
    const unused = (what: string) => () => {
      throw new Error(`FakeTenant: ${what} is not used by remediation`);
    };
    const autopilot: AutopilotReader = {
      listDeviceIdentities: unused('listDeviceIdentities'),
      getDeviceIdentity: (id) => Promise.resolve(this.identities.get(id) ?? null),
      listEvents: unused('listEvents'),
      getSettings: () => Promise.resolve(this.settings),
      listImportedDevices: unused('listImportedDevices'),
      exportDevicePrepDeployments: unused('exportDevicePrepDeployments'),
      exportDevicePrepAppStatus: unused('exportDevicePrepAppStatus'),
      exportDevicePrepScriptStatus: unused('exportDevicePrepScriptStatus'),
      getEnrollmentTimeTarget: (id) => Promise.resolve(this.policyTargets.get(id) ?? null),
    };
    const directory: DirectoryReader = {
      getGroup: (id) => Promise.resolve(this.groups.get(id)?.info ?? null),
      listGroupOwners: (id) => Promise.resolve([...(this.groups.get(id)?.owners ?? [])]),
      listGroupMemberIds: unused('listGroupMemberIds'),
      filterMembers: (id, ids) => Promise.resolve(new Set(ids.filter((x) => this.groups.get(id)?.members.has(x)))),
      findServicePrincipalByAppId: (appId) => Promise.resolve(this.servicePrincipals.get(appId) ?? null),
      getDevice: (id) => Promise.resolve(this.devices.get(id) ?? null),
      getDevices: (ids) =>
        Promise.resolve(
          new Map(
            ids.flatMap((id) => {
              const d = this.devices.get(id);
              return d ? [[id.toLowerCase(), d] as const] : [];
            }),
          ),
        ),
      listDevicesByEnrollmentProfile: unused('listDevicesByEnrollmentProfile'),
      countProfileDevices: unused('countProfileDevices'),
      listRegisteredDevicesByEnrollmentProfile: unused('listRegisteredDevicesByEnrollmentProfile'),
      getDeviceByDeviceId: unused('getDeviceByDeviceId'),
      listAutopilotEntraDevices: unused('listAutopilotEntraDevices'),
      listManagedDevices: unused('listManagedDevices'),
    };
    return { autopilot, directory };
  }
}

export interface Harness {
  readonly clock: FixedClock;
  readonly tenant: FakeTenant;
  readonly stores: Stores;
  readonly alerts: CapturingAlertSink;
  readonly queue: RecordingQueue;
  readonly logger: ReturnType<typeof captureLogger>;
  deps(over?: Partial<RemediationDeps>): RemediationDeps;
}

export function harness(): Harness {
  const clock = new FixedClock();
  const stores = createMemoryStores();
  const tenant = new FakeTenant(clock, stores.findings);
  const alerts = new CapturingAlertSink();
  const queue = new RecordingQueue();
  const logger = captureLogger();
  const { autopilot, directory } = tenant.readers();
  return {
    clock,
    tenant,
    stores,
    alerts,
    queue,
    logger,
    deps: (over = {}) => ({
      tenant: 'contoso',
      owner: 'worker-1',
      claims: stores.claims,
      governor: stores.governor,
      history: stores.history,
      findings: stores.findings,
      runOutcomes: stores.runOutcomes,
      queue,
      actions: tenant,
      autopilot,
      directory,
      alerts,
      clock,
      logger,
      claimTtlMs: 10 * MIN,
      policy: ENFORCE_POLICY,
      devicePrepGroups: [{ groupId: GROUP, policyName: POLICY_NAME, policyId: POLICY_ID }],
      approvals: stores.approvals,
      managedDevices: tenant.managedDeviceReader(),
      ...over,
    }),
  };
}

export function command(
  target: CommandTarget,
  over: Partial<RemediationCommand> = {},
  mode: Mode = 'enforce',
): RemediationCommand {
  return {
    schemaVersion: 1,
    idempotencyKey: `contoso:${target.action}:k1`,
    action: target.action,
    tenant: 'contoso',
    mode,
    target,
    reasons: ['fp-1'],
    runId: 'run-1',
    createdAt: new Date(T0 - MIN).toISOString(),
    ...over,
  };
}

export async function allHistory(stores: Stores): Promise<import('../../../../shared/ports/index.js').HistoryRecord[]> {
  return (await stores.history.query({ limit: 1000 })).items.slice();
}

/** The outcome rows only (attempt rows are written before every tenant write, decisions by the poll). */
export async function outcomes(stores: Stores): Promise<import('../../../../shared/ports/index.js').HistoryRecord[]> {
  return (await allHistory(stores)).filter((r) => r.type === 'outcome');
}

/** IntuneActions that delegate to `base` except for the methods given (scripted per test). */
export function actionsWith(base: IntuneActions, over: Partial<IntuneActions>): IntuneActions {
  return {
    triggerAutopilotSync: over.triggerAutopilotSync ?? (() => base.triggerAutopilotSync()),
    allowNextEnrollment: over.allowNextEnrollment ?? ((id) => base.allowNextEnrollment(id)),
    addGroupMembers: over.addGroupMembers ?? ((g, ids) => base.addGroupMembers(g, ids)),
    addGroupOwner: over.addGroupOwner ?? ((g, o) => base.addGroupOwner(g, o)),
    deleteManagedDevice: over.deleteManagedDevice ?? ((id) => base.deleteManagedDevice(id)),
    deleteAutopilotDevice: over.deleteAutopilotDevice ?? ((id) => base.deleteAutopilotDevice(id)),
  };
}
