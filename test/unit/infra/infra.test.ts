import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { envSchema, loadConfig, SECRET_KEYS } from '../../../shared/config/index.js';
import { REMEDIATION_MESSAGE_TTL_MS } from '../../../shared/adapters/servicebus/message.js';
import { BINDINGS, FUNCTION_NAMES } from '../../../shared/composition/bindings.js';
import { GRAPH_PERMISSIONS, parsePermissionList } from '../../../shared/core/permissions/index.js';

// The Bicep compiler cannot be installed on this build machine, so these checks read the templates as
// text: they pin the contract between infra/ and the app (settings, names, defaults, the permission list),
// and catch the wiring mistakes a hand-written template is prone to (module params, outputs).

const root = resolve(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(resolve(root, path), 'utf8');
const readJson = (path: string): unknown => JSON.parse(read(path));

const main = read('infra/main.bicep');
const functionApp = read('infra/app/function-app.bicep');
const serviceBus = read('infra/app/servicebus.bicep');
const rbac = read('infra/app/rbac.bicep');
const graphBicep = read('infra/app/graph-permissions.bicep');
const multiTenantBicep = read('infra/app/multi-tenant-app.bicep');
const grantScript = read('infra/scripts/grant-graph-permissions.sh');

/** Lines of `source` with // comments removed (not inside strings: good enough for our templates). */
function code(source: string): string[] {
  return source.split('\n').map((line) => line.replace(/(^|\s)\/\/.*$/, '').trimEnd());
}

/** The lines of the `{ ... }` block that opens on the first line matching `opener`, without that line. */
function block(source: string, opener: RegExp): string[] {
  const lines = code(source);
  const start = lines.findIndex((l) => opener.test(l));
  if (start < 0) throw new Error(`no block matching ${opener}`);
  const out: string[] = [];
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (i > start) out.push(line);
    depth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
    if (depth === 0) return out.slice(0, -1);
  }
  throw new Error(`unbalanced block after ${opener}`);
}

/** Keys (and raw value expressions) at the top level of a block. */
function topLevelEntries(lines: readonly string[]): Map<string, string> {
  const entries = new Map<string, string>();
  let depth = 0;
  for (const line of lines) {
    if (depth === 0) {
      const m = /^\s*(?:'([^']+)'|([A-Za-z_][\w]*))\s*:\s*(.*)$/.exec(line);
      if (m) entries.set(m[1] ?? m[2] ?? '', (m[3] ?? '').trim());
    }
    depth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
  }
  return entries;
}

interface BicepParam {
  readonly type: string;
  readonly defaultValue: string | undefined;
  readonly decorators: string;
}

/** `param name type [= default]` declarations, with the decorator lines just above each. */
function params(source: string): Map<string, BicepParam> {
  const lines = code(source);
  const out = new Map<string, BicepParam>();
  lines.forEach((line, i) => {
    const m = /^param (\w+) ([\w[\]]+)(?: = (.+))?$/.exec(line);
    if (!m) return;
    let j = i - 1;
    while (j >= 0 && /^\s*(@|'|\]|\)|\}|[A-Za-z0-9-]+$)/.test(lines[j] ?? '') && !/^param /.test(lines[j] ?? '')) j--;
    out.set(m[1] ?? '', { type: m[2] ?? '', defaultValue: m[3], decorators: lines.slice(j + 1, i).join('\n') });
  });
  return out;
}

function outputs(source: string): Set<string> {
  return new Set([...source.matchAll(/^output (\w+) /gm)].map((m) => m[1] ?? ''));
}

const unquote = (value: string | undefined): string | undefined => /^'(.*)'$/.exec(value ?? '')?.[1];

const appSettings = topLevelEntries(block(functionApp, /^var appSettings = \{$/));
const settingNames = [...appSettings.keys()];
const mainParams = params(main);
const schemaKeys = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
const schemaDefault = (key: keyof typeof envSchema.shape): unknown => envSchema.shape[key].parse(undefined);
const PLATFORM_SETTING = /^(AzureWebJobsStorage__|APPLICATIONINSIGHTS_|FUNCTIONS_|ServiceBusConnection__)/;

describe('infra: app settings match shared/config/env-schema.ts', () => {
  it('the parser found the settings block', () => {
    expect(settingNames.length).toBeGreaterThan(20);
  });

  it('sets every setting the schema requires (no default, not optional)', () => {
    const required = schemaKeys.filter((k) => !envSchema.shape[k].safeParse(undefined).success);
    expect(required.filter((k) => !appSettings.has(k))).toEqual([]);
  });

  it('sets everything the app needs in Azure (identity-based storage, Service Bus and Graph)', () => {
    for (const key of [
      'GRAPH_AUTH',
      'MANAGED_IDENTITY_CLIENT_ID',
      'TENANT_NAME',
      'STORAGE_TABLE_ENDPOINT',
      'ServiceBusConnection__fullyQualifiedNamespace',
      'REMEDIATION_QUEUE',
      'POLL_SCHEDULE',
      'COMPLIANCE_SCHEDULE',
      'REMEDIATION_MODE',
      'DEVICE_PREP_GROUPS',
      'AzureWebJobsStorage__accountName',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
    ]) {
      expect(appSettings.has(key), key).toBe(true);
    }
    // managed-identity unless the deployment is multi-tenant (see 'infra: many tenants' below).
    expect(appSettings.get('GRAPH_AUTH')).toBe('graphAuth');
    expect(params(functionApp).get('graphAuth')?.defaultValue).toBe("'managed-identity'");
    expect(main).toContain("graphAuth: multiTenant ? 'federated' : 'managed-identity'");
    expect(appSettings.get('AzureWebJobsStorage__credential')).toBe("'managedidentity'");
    expect(appSettings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toContain('Authorization=AAD');
    // Identity-based only: no connection strings in Azure.
    expect(appSettings.has('STORAGE_CONNECTION_STRING')).toBe(false);
    expect(appSettings.has(BINDINGS.serviceBusConnection)).toBe(false);
    expect(appSettings.has('AzureWebJobsStorage')).toBe(false);
  });

  it('sets nothing that is neither in the schema nor a known platform/binding setting', () => {
    const unknown = settingNames.filter((k) => !(schemaKeys as string[]).includes(k) && !PLATFORM_SETTING.test(k));
    expect(unknown).toEqual([]);
  });

  it('does not set the settings Flex Consumption rejects (runtime lives in functionAppConfig)', () => {
    for (const key of [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_NODE_DEFAULT_VERSION',
    ]) {
      expect(appSettings.has(key), key).toBe(false);
    }
    expect(functionApp).toMatch(/runtime: \{\s*name: 'node'/);
  });

  it('secrets come only from @secure() parameters, in the module and in main.bicep', () => {
    const moduleParams = params(functionApp);
    for (const key of settingNames.filter((k) => SECRET_KEYS.has(k))) {
      const source = appSettings.get(key) ?? '';
      expect(source, key).toMatch(/^\w+$/);
      expect(moduleParams.get(source)?.decorators, `${key} <- ${source}`).toContain('@secure()');
      expect(mainParams.get(source)?.decorators, `main.bicep ${source}`).toContain('@secure()');
    }
  });

  it('defaults in main.bicep equal the schema defaults (queue, schedules, mode, tenant, tables)', () => {
    const pairs: [string, keyof typeof envSchema.shape][] = [
      ['remediationQueueName', 'REMEDIATION_QUEUE'],
      ['pollSchedule', 'POLL_SCHEDULE'],
      ['complianceSchedule', 'COMPLIANCE_SCHEDULE'],
      ['remediationMode', 'REMEDIATION_MODE'],
      ['tenantName', 'TENANT_NAME'],
      ['tablePrefix', 'TABLE_PREFIX'],
      ['teamsMinSeverity', 'TEAMS_MIN_SEVERITY'],
      ['webhookMinSeverity', 'WEBHOOK_MIN_SEVERITY'],
      ['logLevel', 'LOG_LEVEL'],
    ];
    for (const [param, key] of pairs) {
      expect(unquote(mainParams.get(param)?.defaultValue), param).toBe(schemaDefault(key));
    }
    expect(schemaDefault('REMEDIATION_MODE')).toBe('plan');
    expect(mainParams.get('devicePrepGroups')?.defaultValue).toBe('[]');
  });

  it('azd parameter defaults (main.parameters.json) agree with main.bicep', () => {
    const text = read('infra/main.parameters.json');
    const file = JSON.parse(text) as { parameters: Record<string, { value: unknown }> };
    for (const name of Object.keys(file.parameters)) expect(mainParams.has(name), name).toBe(true);
    for (const [param, env] of [
      ['remediationQueueName', 'REMEDIATION_QUEUE'],
      ['remediationMode', 'REMEDIATION_MODE'],
      ['pollSchedule', 'POLL_SCHEDULE'],
      ['complianceSchedule', 'COMPLIANCE_SCHEDULE'],
      ['tenantName', 'TENANT_NAME'],
    ] as const) {
      expect(file.parameters[param]?.value, param).toBe(
        `\${${env}=${unquote(mainParams.get(param)?.defaultValue) ?? ''}}`,
      );
    }
  });
});

describe('infra: bindings (shared/composition/bindings.ts)', () => {
  it('the Service Bus connection prefix is the one the trigger binds to, identity-based', () => {
    const prefix = BINDINGS.serviceBusConnection;
    expect(appSettings.has(`${prefix}__fullyQualifiedNamespace`)).toBe(true);
    expect(appSettings.get(`${prefix}__credential`)).toBe("'managedidentity'");
    expect(appSettings.get(`${prefix}__clientId`)).toBe('identityClientId');
    const prefixes = new Set(
      settingNames.filter((k) => k.includes('__') && !k.startsWith('AzureWebJobsStorage')).map((k) => k.split('__')[0]),
    );
    expect([...prefixes]).toEqual([prefix]);
  });

  it('every setting a binding expression names is set in Azure and in local.settings.sample.json', () => {
    const local = (readJson('local.settings.sample.json') as { Values: Record<string, string> }).Values;
    for (const key of [BINDINGS.queueNameSetting, BINDINGS.pollScheduleSetting, BINDINGS.complianceScheduleSetting]) {
      expect(appSettings.has(key), key).toBe(true);
      expect(local[key], key).toBeTruthy();
    }
  });

  it('functions/remediate.ts binds the queue through %REMEDIATION_QUEUE% and BINDINGS.serviceBusConnection', () => {
    const path = resolve(root, 'functions/remediate.ts');
    const source = existsSync(path) ? readFileSync(path, 'utf8') : '';
    expect(source).toContain('app.serviceBusQueue(');
    // Either the literal binding expression or the same expression built from BINDINGS.
    expect(source).toMatch(/queueName: (?:'%REMEDIATION_QUEUE%'|`%\$\{BINDINGS\.queueNameSetting\}%`)/);
    expect(BINDINGS.queueNameSetting).toBe('REMEDIATION_QUEUE');
    expect(source).toContain('connection: BINDINGS.serviceBusConnection');
    // The timers take their schedules from the app settings the Bicep sets.
    expect(readFileSync(resolve(root, 'functions/poll.ts'), 'utf8')).toContain(
      'schedule: `%${BINDINGS.pollScheduleSetting}%`',
    );
    expect(readFileSync(resolve(root, 'functions/compliance-sweep.ts'), 'utf8')).toContain(
      'schedule: `%${BINDINGS.complianceScheduleSetting}%`',
    );
  });
});

describe('infra: Service Bus queue', () => {
  const queue = topLevelEntries(block(serviceBus, /^\s*resource queue 'queues' = \{$/).slice(2));

  it('duplicate detection over a window longer than the 10-minute sync window', () => {
    expect(queue.get('requiresDuplicateDetection')).toBe('true');
    const window = /^'PT(\d+)([HM])'$/.exec(queue.get('duplicateDetectionHistoryTimeWindow') ?? '');
    expect(window).not.toBeNull();
    const minutes = Number(window?.[1]) * (window?.[2] === 'H' ? 60 : 1);
    expect(minutes).toBeGreaterThan(10);
  });

  it('deliberate delivery count, lock, TTL and dead-lettering', () => {
    expect(queue.get('maxDeliveryCount')).toBe('maxDeliveryCount');
    expect(params(serviceBus).get('maxDeliveryCount')?.defaultValue).toBe('5');
    expect(mainParams.get('maxDeliveryCount')?.defaultValue).toBe('5');
    expect(queue.get('lockDuration')).toBe("'PT5M'");
    expect(queue.get('deadLetteringOnMessageExpiration')).toBe('true');
    // The claims' retention counts on it (REMEDIATION_MESSAGE_TTL_MS): a longer TTL must raise that constant too.
    expect(queue.get('defaultMessageTimeToLive')).toBe("'P1D'");
    expect(REMEDIATION_MESSAGE_TTL_MS).toBe(86_400_000);
    expect(serviceBus).toMatch(/disableLocalAuth: true/);
  });

  it('the host renews the 5-minute lock, and a claim outlives the renewal horizon', () => {
    const host = readJson('host.json') as { extensions: { serviceBus: { maxAutoLockRenewalDuration: string } } };
    const [h, m, s] = host.extensions.serviceBus.maxAutoLockRenewalDuration.split(':').map(Number);
    const renewalSeconds = (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
    expect(renewalSeconds).toBeGreaterThanOrEqual(5 * 60);
    expect(schemaDefault('CLAIM_TTL_SECONDS')).toBeGreaterThanOrEqual(renewalSeconds);
  });
});

describe('infra: identity and least privilege', () => {
  it('role assignments have deterministic names guid(scope, principalId, role) on the same scope', () => {
    const assignments = [
      ...rbac.matchAll(
        /resource (\w+) 'Microsoft\.Authorization\/roleAssignments@[\w-]+' = \{\n\s*name: guid\(([\w:]+)\.id, principalId, roles\.(\w+)\)\n\s*scope: ([\w:]+)\n/g,
      ),
    ];
    expect(assignments.length).toBe((rbac.match(/Microsoft\.Authorization\/roleAssignments@/g) ?? []).length);
    for (const [, , nameScope, , scope] of assignments) expect(scope).toBe(nameScope);
    const byRole = new Map(assignments.map((a) => [a[3], a[4]]));
    expect([...byRole.keys()].sort()).toEqual(
      [
        'monitoringMetricsPublisher',
        'serviceBusDataReceiver',
        'serviceBusDataSender',
        'storageBlobDataOwner',
        'storageTableDataContributor',
      ].sort(),
    );
    expect(byRole.get('serviceBusDataSender')).toBe('namespace::queue');
    expect(byRole.get('serviceBusDataReceiver')).toBe('namespace::queue');
    expect(rbac).toContain("serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'");
    expect(rbac).toContain("serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'");
  });

  it('grants no Service Bus Data Owner and no Storage Queue Data Contributor anywhere', () => {
    const infra =
      readdirSync(resolve(root, 'infra/app'))
        .map((f) => read(`infra/app/${f}`))
        .join('\n') + main;
    expect(infra).not.toContain('090c5cfd-751d-490a-894a-3ce6f1109419'); // Azure Service Bus Data Owner
    expect(infra).not.toContain('974c5e8b-45b9-4653-ba55-5f855dd0fb88'); // Storage Queue Data Contributor
  });

  it('no shared keys: storage, Service Bus and Application Insights accept Entra ID only', () => {
    expect(main).toMatch(/allowSharedKeyAccess: false/);
    expect(main).toMatch(/disableLocalAuth: true/);
    expect(functionApp).toMatch(/type: 'UserAssignedIdentity'/);
  });

  // Issue 15: 4 was below the minimum Flex Consumption accepts outside a few preview regions. The write budget no
  // longer depends on the instance count: writes run only in the queue function, and the poll spreads each run's
  // writing commands over the app-wide budget (shared/core/governor/write-pacing.ts).
  it('Flex Consumption FC1 at the default instance count; the whole Intune write budget, paced by the poll', () => {
    expect(main).toMatch(/name: 'FC1'/);
    expect(mainParams.get('maximumInstanceCount')?.defaultValue).toBe('100');
    expect(mainParams.get('instanceMemoryMB')?.defaultValue).toBe('2048');
    expect(main).toContain("graphWriteBudget: '${intuneWritesPer20Seconds}/20'");
    expect(main).not.toMatch(/intuneWritesPer20Seconds \/ maximumInstanceCount/);
    expect(appSettings.get('GRAPH_WRITE_BUDGET')).toBe('graphWriteBudget');
    expect(mainParams.get('intuneWritesPer20Seconds')?.defaultValue).toBe('100');
  });

  it('Node 22 wherever the runtime is named', () => {
    expect(mainParams.get('nodeVersion')?.defaultValue).toBe("'22'");
    expect(mainParams.get('nodeVersion')?.decorators).not.toContain("'20'");
    expect(functionApp).toMatch(/name: 'node'/);
  });

  it('DEVICE_PREP_GROUPS is a Bicep array, serialised into the app setting', () => {
    expect(mainParams.get('devicePrepGroups')).toMatchObject({ type: 'array', defaultValue: '[]' });
    expect(main).toContain('devicePrepGroupsJson: string(devicePrepGroups)');
    expect(appSettings.get('DEVICE_PREP_GROUPS')).toBe('devicePrepGroupsJson');
    // azd substitutes the env value and parses it as JSON for an array parameter (Azure/azure-dev#6694).
    const file = readJson('infra/main.parameters.json') as { parameters: Record<string, { value: unknown }> };
    expect(file.parameters.devicePrepGroups?.value).toBe('${DEVICE_PREP_GROUPS=[]}');
  });

  it('does not grant Graph permissions by default (a normal deployer cannot): the postprovision hook handles it', () => {
    expect(mainParams.get('grantGraphPermissions')?.defaultValue).toBe('false');
    const file = readJson('infra/main.parameters.json') as { parameters: Record<string, { value: unknown }> };
    expect(file.parameters.grantGraphPermissions?.value).toBe('${GRANT_GRAPH_PERMISSIONS=false}');
    for (const out of ['GRAPH_PERMISSIONS_GRANTED_BY_BICEP', 'GRAPH_PERMISSION_TIERS', 'MANAGED_IDENTITY_PRINCIPAL_ID'])
      expect(outputs(main).has(out), out).toBe(true);
  });
});

describe('azure.yaml', () => {
  const yaml = read('azure.yaml');
  /** The lines indented under the first line equal to `opener` (no YAML parser among our dependencies). */
  const section = (text: string, opener: string): string[] => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.trimEnd() === opener);
    if (start < 0) throw new Error(`no ${opener}`);
    const indent = opener.length - opener.trimStart().length;
    const out: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      if (line.length - line.trimStart().length <= indent) break;
      out.push(line.trim());
    }
    return out;
  };

  it('builds remotely on Azure', () => {
    expect(section(yaml, '  functions:')).toEqual(
      expect.arrayContaining(['project: .', 'language: ts', 'host: function', 'remoteBuild: true']),
    );
  });

  it('runs the postprovision hook from sh and from pwsh, and the script exists', () => {
    const hook = section(yaml, '  postprovision:');
    const posix = section(yaml, '    posix:');
    const windows = section(yaml, '    windows:');
    expect(hook.length).toBeGreaterThan(0);
    expect(posix).toEqual(expect.arrayContaining(['shell: sh', 'run: node infra/scripts/postprovision.mjs']));
    expect(windows).toEqual(expect.arrayContaining(['shell: pwsh', 'run: node infra/scripts/postprovision.mjs']));
    expect(existsSync(resolve(root, 'infra/scripts/postprovision.mjs'))).toBe(true);
  });
});

describe('infra: Graph permissions come from ONE list', () => {
  const listPath = resolve(root, 'shared/core/permissions/graph-permissions.json');

  it('the Bicep extension module and the script read the file the app exports', () => {
    const bicepPath = /loadJsonContent\('([^']+)'\)/.exec(graphBicep)?.[1] ?? '';
    expect(resolve(root, 'infra/app', bicepPath)).toBe(listPath);
    const scriptPath = /permissions_file="\$\{script_dir\}\/([^"]+)"/.exec(grantScript)?.[1] ?? '';
    expect(resolve(root, 'infra/scripts', scriptPath)).toBe(listPath);
    expect(parsePermissionList(JSON.parse(readFileSync(listPath, 'utf8')))).toEqual(GRAPH_PERMISSIONS);
  });

  it('is an Entra app-role assignment to Microsoft Graph, not Azure RBAC', () => {
    expect(graphBicep).toMatch(/^extension microsoftGraphV1$/m);
    expect(graphBicep).toContain("'Microsoft.Graph/appRoleAssignedTo@v1.0'");
    expect(graphBicep).toContain("appId: '00000003-0000-0000-c000-000000000000'");
    expect(graphBicep).not.toContain('Microsoft.Authorization/roleAssignments');
    expect(
      (readJson('infra/bicepconfig.json') as { extensions: Record<string, string> }).extensions.microsoftGraphV1,
    ).toMatch(/^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:/);
  });

  it('covers every Graph area the app calls, least privilege first', () => {
    const names = GRAPH_PERMISSIONS.map((p) => p.permission);
    for (const expected of [
      'DeviceManagementServiceConfig.ReadWrite.All',
      'DeviceManagementManagedDevices.Read.All',
      'DeviceManagementManagedDevices.ReadWrite.All',
      'Device.Read.All',
      'GroupMember.ReadWrite.All',
      'Group.ReadWrite.All',
      'Application.Read.All',
    ]) {
      expect(names).toContain(expected);
    }
    // Broader alternatives that must not creep in.
    for (const tooBroad of [
      'DeviceManagementConfiguration.ReadWrite.All',
      'DeviceManagementApps.ReadWrite.All',
      'Directory.ReadWrite.All',
      'DeviceManagementManagedDevices.PrivilegedOperations.All',
    ]) {
      expect(names).not.toContain(tooBroad);
    }
    expect(new Set(GRAPH_PERMISSIONS.map((p) => p.requiredFor))).toEqual(new Set(['read', 'report', 'remediate']));
  });

  it('the tiers Bicep grants by default are all of them', () => {
    expect(main).toMatch(/param graphPermissionTiers array = \[\n\s*'read'\n\s*'report'\n\s*'remediate'\n\]/);
  });
});

describe('infra: host.json', () => {
  const host = readJson('host.json') as {
    version: string;
    functionTimeout: string;
    extensionBundle: { id: string; version: string };
    extensions: { serviceBus: Record<string, unknown> };
    logging: { applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes: string } } };
  };

  it('keeps remediation fan-out low: maxConcurrentCalls <= 4, no prefetch', () => {
    expect(host.version).toBe('2.0');
    expect(host.extensions.serviceBus.maxConcurrentCalls).toBeLessThanOrEqual(4);
    expect(host.extensions.serviceBus.prefetchCount).toBe(0);
    expect(host.extensions.serviceBus.autoCompleteMessages).toBe(true);
  });

  it('bundle v4 and a timeout that is bounded but long enough for a 100k-device sweep', () => {
    expect(host.extensionBundle).toEqual({ id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' });
    expect(host.functionTimeout).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(host.functionTimeout >= '00:10:00' && host.functionTimeout <= '01:00:00').toBe(true);
  });

  it('never samples away requests, exceptions, events or the traces that carry remediation records', () => {
    const excluded = host.logging.applicationInsights.samplingSettings.excludedTypes.split(';');
    expect(excluded).toEqual(expect.arrayContaining(['Request', 'Exception', 'Event', 'Trace']));
  });
});

describe('infra: local.settings.sample.json', () => {
  const sample = readJson('local.settings.sample.json') as { IsEncrypted: boolean; Values: Record<string, string> };

  it('parses with loadConfig and runs against the simulator in plan mode', () => {
    const config = loadConfig(sample.Values);
    expect(sample.IsEncrypted).toBe(false);
    expect(sample.Values.FUNCTIONS_WORKER_RUNTIME).toBe('node');
    expect(config.policy.defaultMode).toBe('plan');
    expect(config.graph.auth.kind).toBe('static-token');
    expect(config.graph.isMicrosoftGraph).toBe(false);
    expect(config.storage.kind).toBe('connection-string');
    expect(config.devicePrepGroups.length).toBeGreaterThan(0);
  });

  it('disables the queue trigger locally (no Service Bus broker without Docker)', () => {
    expect(sample.Values[`AzureWebJobs.${FUNCTION_NAMES.remediate}.Disabled`]).toBe('true');
  });
});

describe('docs/operations.md', () => {
  const doc = read('docs/operations.md');

  it('documents every Graph permission of the list and says the templates were not compiled here', () => {
    expect(GRAPH_PERMISSIONS.filter((p) => !doc.includes(`\`${p.permission}\``)).map((p) => p.permission)).toEqual([]);
    expect(doc).toContain('The Bicep compiler cannot be installed');
  });

  it('tells operators to disable only functions that Linux plans can disable (no hyphen in the name)', () => {
    const disabled = [...doc.matchAll(/AzureWebJobs\.([\w-]+)\.Disabled=/g)].map((m) => m[1] ?? '');
    expect(new Set(disabled)).toEqual(new Set([FUNCTION_NAMES.remediate, FUNCTION_NAMES.poll]));
    for (const name of disabled) expect(name).toMatch(/^[A-Za-z0-9_]+$/);
    expect(doc).toContain('REMEDIATION_ACTION_MODES');
  });
});

describe('infra: module wiring in main.bicep (no compiler here, so check by hand)', () => {
  const modules = [...main.matchAll(/^module (\w+) '(app\/[\w-]+\.bicep)' = /gm)];

  it.each(modules.map((m) => [m[1] ?? '', m[2] ?? '']))('%s (%s): params and outputs line up', (symbol, path) => {
    const file = resolve(root, 'infra', path);
    expect(existsSync(file)).toBe(true);
    const source = readFileSync(file, 'utf8');
    const declared = params(source);
    const body = block(main, new RegExp(`^module ${symbol} '`));
    const passed = topLevelEntries(block(body.join('\n'), /^\s*params: \{$/));
    expect([...passed.keys()].filter((k) => !declared.has(k))).toEqual([]);
    expect([...declared].filter(([k, p]) => p.defaultValue === undefined && !passed.has(k)).map(([k]) => k)).toEqual(
      [],
    );
    const used = [...main.matchAll(new RegExp(`\\b${symbol}\\.outputs\\.(\\w+)`, 'g'))].map((m) => m[1] ?? '');
    const declaredOutputs = outputs(source);
    expect(used.filter((o) => !declaredOutputs.has(o))).toEqual([]);
  });

  it('found every local module', () => {
    expect(modules.map((m) => m[2]).sort()).toEqual(
      readdirSync(resolve(root, 'infra/app'))
        .filter((f) => f.endsWith('.bicep'))
        .map((f) => `app/${f}`)
        .sort(),
    );
    expect(dirname(resolve(root, 'azure.yaml'))).toBe(root);
    expect(read('azure.yaml')).toMatch(/host: function/);
    expect(functionApp).toContain("'azd-service-name': 'functions'");
  });
});

describe('infra: many tenants from one deployment (multiTenant, GRAPH_AUTH=federated)', () => {
  const moduleBody = code(multiTenantBicep).join('\n');
  const app = topLevelEntries(block(multiTenantBicep, /^resource app 'Microsoft\.Graph\/applications@v1\.0' = \{$/));
  const fic = topLevelEntries(
    block(multiTenantBicep, /^\s*resource managedIdentityTrust 'federatedIdentityCredentials@v1\.0' = \{$/),
  );

  it('is off by default, so the single-tenant deployment is unchanged', () => {
    expect(mainParams.get('multiTenant')).toMatchObject({ type: 'bool', defaultValue: 'false' });
    expect(main).toMatch(/^module multiTenantApp 'app\/multi-tenant-app\.bicep' = if \(multiTenant\) \{$/m);
    const file = readJson('infra/main.parameters.json') as { parameters: Record<string, { value: unknown }> };
    expect(file.parameters.multiTenant?.value).toBe('${MULTI_TENANT=false}');
    // Off: the settings the app reads are exactly the single-tenant ones (empty settings count as unset).
    const off = loadConfig({
      GRAPH_AUTH: 'managed-identity',
      AZURE_CLIENT_ID: '',
      AZURE_TENANT_ID: '',
      MANAGED_IDENTITY_CLIENT_ID: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
    });
    expect(off.graph.auth).toEqual({ kind: 'managed-identity', clientId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' });
  });

  it('on: the function app runs GRAPH_AUTH=federated as the app, with the home tenant, and the settings parse', () => {
    expect(appSettings.get('AZURE_CLIENT_ID')).toBe('multiTenantAppId');
    expect(appSettings.get('AZURE_TENANT_ID')).toBe('multiTenantHomeTenantId');
    expect(main).toContain("multiTenantAppId: multiTenant ? multiTenantApp.outputs.appId : ''");
    expect(main).toContain("multiTenantHomeTenantId: multiTenant ? tenant().tenantId : ''");
    expect(params(functionApp).get('graphAuth')?.decorators).toMatch(/'federated'/);
    const on = loadConfig({
      GRAPH_AUTH: 'federated',
      AZURE_CLIENT_ID: '0b8e1c3a-5d4f-4a2b-9c7d-1e2f3a4b5c6d',
      AZURE_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      MANAGED_IDENTITY_CLIENT_ID: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
    });
    expect(on.graph.auth.kind).toBe('federated');
  });

  it('a multi-tenant app registration with the Graph application permissions of the ONE list', () => {
    expect(multiTenantBicep).toMatch(/^extension microsoftGraphV1$/m);
    expect(app.get('signInAudience')).toBe("'AzureADMultipleOrgs'");
    expect(app.get('uniqueName')).toBe('uniqueName');
    const listPath = /loadJsonContent\('([^']+)'\)/.exec(multiTenantBicep)?.[1] ?? '';
    expect(resolve(root, 'infra/app', listPath)).toBe(resolve(root, 'shared/core/permissions/graph-permissions.json'));
    expect(moduleBody).toContain('resourceAppId: microsoftGraphAppId');
    expect(moduleBody).toContain("var microsoftGraphAppId = '00000003-0000-0000-c000-000000000000'");
    // Application permissions (Role), resolved like graph-permissions.bicep, from the tiers main.bicep chose.
    expect(moduleBody).toMatch(
      /id: p\.appRoleId \?\? filter\(microsoftGraph\.appRoles, r => r\.value == p\.permission\)\[0\]\.id\n\s*type: 'Role'/,
    );
    expect(moduleBody).not.toContain("type: 'Scope'");
    expect(main).toMatch(/module multiTenantApp[^]*?tiers: graphPermissionTiers/);
  });

  it('its only credential is a federated identity credential trusting the managed identity (no secret, no certificate)', () => {
    expect(fic.get('issuer')).toBe('issuer');
    expect(moduleBody).toContain(
      "var issuer = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'",
    );
    expect(fic.get('subject')).toBe('identityPrincipalId');
    expect(main).toMatch(/module multiTenantApp[^]*?identityPrincipalId: identity\.outputs\.principalId/);
    expect(fic.get('audiences')).toBe('[');
    expect(block(multiTenantBicep, /^\s*audiences: \[$/).map((l) => l.trim())).toEqual([
      "'api://AzureADTokenExchange'",
    ]);
    expect(fic.get('name')).toMatch(/^'\$\{app\.uniqueName\}\//);
    expect(multiTenantBicep).not.toMatch(/passwordCredentials|keyCredentials|addPassword|clientSecret/i);
    // Its service principal in the home tenant; customer tenants get theirs from admin consent.
    expect(multiTenantBicep).toMatch(
      /resource servicePrincipal 'Microsoft\.Graph\/servicePrincipals@v1\.0' = \{\n\s*appId: app\.appId\n\}/,
    );
  });

  it('outputs the admin-consent link template, in the format the health check prints', () => {
    expect(multiTenantBicep).toContain(
      "output consentUrlTemplate string = 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id=${app.appId}'",
    );
    for (const out of ['MULTI_TENANT', 'MULTI_TENANT_APP_ID', 'MULTI_TENANT_APP_SP_ID', 'ADMIN_CONSENT_URL_TEMPLATE'])
      expect(outputs(main).has(out), out).toBe(true);
  });

  it('when Bicep grants Graph permissions in a multi-tenant deployment, it grants them to the app, not the identity', () => {
    expect(main).toContain(
      'principalId: multiTenant ? multiTenantApp.outputs.servicePrincipalId : identity.outputs.principalId',
    );
  });
});

describe('infra: many tenants (the tenant-run queue)', () => {
  const serviceBus = read('infra/app/servicebus.bicep');

  it('creates the fan-out queue with duplicate detection, for every deployment', () => {
    expect(serviceBus).toMatch(/resource tenantRunQueue 'queues' = \{\n\s*name: tenantRunQueueName/);
    const queue = serviceBus.slice(serviceBus.indexOf("resource tenantRunQueue 'queues'"));
    expect(queue).toContain('requiresDuplicateDetection: true');
    expect(unquote(mainParams.get('tenantRunQueueName')?.defaultValue)).toBe(schemaDefault('TENANT_RUN_QUEUE'));
    expect(appSettings.get('TENANT_RUN_QUEUE')).toBe('tenantRunQueueName');
  });

  it('the identity sends and receives on that queue only (not the namespace)', () => {
    for (const role of ['serviceBusDataSender', 'serviceBusDataReceiver'])
      expect(rbac).toMatch(
        new RegExp(
          `name: guid\\(namespace::tenantRunQueue\\.id, principalId, roles\\.${role}\\)\\n\\s*scope: namespace::tenantRunQueue\\n`,
        ),
      );
  });

  it('TENANTS is a secure parameter end to end, empty by default (one tenant)', () => {
    expect(mainParams.get('tenants')?.decorators).toContain('@secure()');
    expect(unquote(mainParams.get('tenants')?.defaultValue)).toBe('');
    expect(mainParams.get('tenantConcurrency')?.defaultValue).toBe(String(schemaDefault('TENANT_CONCURRENCY')));
  });
});
