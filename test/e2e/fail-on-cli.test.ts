import { describe, expect, it } from 'vitest';

import { runCli } from './cli-process.js';

// `sweep --fail-on SEVERITY` as a process on the embedded default (simulator + Azurite in its own data folder), for schedulers
// and CI. The demo tenant leaves warnings and errors a person must handle, and no critical finding (its one error
// that the product fixes, the blocked device, does not count).

describe('autopilot-medic sweep --fail-on', () => {
  it('exit 3 when unfixed findings at or above the severity remain, named on stderr; 0 when none do', async () => {
    const error = await runCli(['sweep', '--fail-on', 'error'], {});
    expect(error.code, error.stderr).toBe(3);
    expect(error.stderr).toMatch(/--fail-on error: 10 finding\(s\) at or above error remain unfixed/);
    expect(error.stdout).toContain('Summary:');
    const critical = await runCli(['sweep', '--fail-on', 'critical', '--json'], {});
    expect(critical.code, critical.stderr).toBe(0);
    expect((JSON.parse(critical.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  }, 180_000);

  it('an unknown severity is a usage error (exit 2) before anything runs', async () => {
    const bad = await runCli(['sweep', '--fail-on', 'bogus'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected one of info, warning, error, critical');
    expect(bad.stdout).toBe('');
  }, 60_000);
});
