import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../../../shared/config/index.js';

function problemsOf(env: Record<string, string>): { key: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts an empty environment with safe defaults (plan mode, in-process queue, simulator-free Graph)', () => {
    const c = loadConfig({});
    expect(c.policy.defaultMode).toBe('plan');
    expect(Object.values(c.policy.actionModes)).toEqual(['plan', 'plan', 'plan', 'plan', 'plan', 'plan']);
    expect(c.queue.kind).toBe('in-process');
    expect(c.storage.kind).toBe('none');
    expect(c.graph.baseUrl).toBe('https://graph.microsoft.com');
    expect(c.graph.auth.kind).toBe('managed-identity');
  });

  it('reports every bad key in ONE error, naming each and what it expects', () => {
    const problems = problemsOf({
      GRAPH_BASE_URL: 'not a url',
      REMEDIATION_MODE: 'yolo',
      REMEDIATION_ACTIONS: 'autopilot-sync,reboot-everything',
      DEVICE_PREP_GROUPS: '[{"groupId":"nope"}]',
      POLL_SCHEDULE: '*/5 * * * *',
      BLAST_RADIUS_MAX_DEVICES: '-3',
      WEBHOOK_URL: 'https://hooks.example.test/abc',
      GRAPH_AUTH: 'client-secret',
    });
    const keys = [...new Set(problems.map((p) => p.key))].sort();
    expect(keys).toEqual(
      [
        'AZURE_CLIENT_ID',
        'AZURE_CLIENT_SECRET',
        'AZURE_TENANT_ID',
        'BLAST_RADIUS_MAX_DEVICES',
        'DEVICE_PREP_GROUPS',
        'GRAPH_BASE_URL',
        'POLL_SCHEDULE',
        'REMEDIATION_ACTIONS',
        'REMEDIATION_MODE',
        'WEBHOOK_SECRET',
      ].sort(),
    );
    expect(problems.find((p) => p.key === 'REMEDIATION_ACTIONS')?.message).toContain('reboot-everything');
    expect(problems.find((p) => p.key === 'POLL_SCHEDULE')?.message).toContain('six-field');
    const dpg = problems.filter((p) => p.key === 'DEVICE_PREP_GROUPS').map((p) => p.message);
    expect(dpg).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[0\]\.groupId: /),
        expect.stringMatching(/^\[0\]\.policyName: /),
      ]),
    );
  });

  it('the single message lists all keys, one per line', () => {
    try {
      loadConfig({ REMEDIATION_MODE: 'x', TEAMS_MIN_SEVERITY: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/2 problems/);
      expect(msg).toMatch(/- REMEDIATION_MODE: /);
      expect(msg).toMatch(/- TEAMS_MIN_SEVERITY: /);
    }
  });

  it('never echoes a secret value in the error', () => {
    const secret = 'super-secret-value-1234567890';
    try {
      loadConfig({
        WEBHOOK_URL: 'ftp://x',
        WEBHOOK_SECRET: 'short',
        AZURE_CLIENT_SECRET: secret,
        GRAPH_AUTH: 'client-secret',
      });
      expect.unreachable();
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).not.toContain(secret);
      expect(msg).not.toContain('short');
      expect(msg).toContain('WEBHOOK_SECRET');
    }
  });

  it('rejects plain http Graph endpoints except on loopback', () => {
    expect(problemsOf({ GRAPH_BASE_URL: 'http://graph.example.test' }).map((p) => p.key)).toEqual(['GRAPH_BASE_URL']);
    expect(loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:4010/', GRAPH_TOKEN: 't' }).graph).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010',
      auth: { kind: 'static-token' },
      isMicrosoftGraph: false,
    });
  });

  it('per-action modes override the default; disabled actions are off', () => {
    const c = loadConfig({
      REMEDIATION_MODE: 'plan',
      REMEDIATION_ACTIONS: 'autopilot-sync,allow-next-enrollment,add-to-device-prep-group',
      REMEDIATION_ACTION_MODES: 'allow-next-enrollment=enforce',
    });
    expect(c.policy.actionModes).toEqual({
      'autopilot-sync': 'plan',
      'allow-next-enrollment': 'enforce',
      'add-to-device-prep-group': 'plan',
      'restore-device-prep-owner': 'off',
      'delete-intune-device-record': 'off',
      'deregister-autopilot-device': 'off',
    });
  });

  it('parses DEVICE_PREP_GROUPS and picks identity-based Service Bus when only the namespace is set', () => {
    const c = loadConfig({
      DEVICE_PREP_GROUPS: '[{"groupId":"5b0c7c7e-3a6f-4a37-9a53-0c3a1c1f0d11","policyName":"DP - Sales"}]',
      ServiceBusConnection__fullyQualifiedNamespace: 'apm.servicebus.windows.net',
      MANAGED_IDENTITY_CLIENT_ID: 'c0ffee00-0000-0000-0000-000000000001',
    });
    expect(c.devicePrepGroups).toEqual([{ groupId: '5b0c7c7e-3a6f-4a37-9a53-0c3a1c1f0d11', policyName: 'DP - Sales' }]);
    expect(c.queue).toEqual({
      kind: 'servicebus-identity',
      namespace: 'apm.servicebus.windows.net',
      clientId: 'c0ffee00-0000-0000-0000-000000000001',
      queue: 'remediation',
    });
  });

  it('treats blank settings as unset (app settings are often present but empty)', () => {
    expect(loadConfig({ WEBHOOK_URL: '', GRAPH_TOKEN: '' }).alerts.webhook).toBeNull();
  });

  it('local.settings.sample.json parses', () => {
    const file = resolve(import.meta.dirname, '../../../local.settings.sample.json');
    const sample = JSON.parse(readFileSync(file, 'utf8')) as { Values: Record<string, string> };
    expect(() => loadConfig(sample.Values)).not.toThrow();
  });
});
