import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../../sim/index.js';
import { adaptersFor, drain, quickSleep } from './sim-harness.js';

// Every bundled scenario must be readable end to end: hand-written scenarios exercise field shapes the
// generator doesn't (nulls, defaults, odd enum members).
describe.each(['demo', 'deviceprep-broken', 'healthy'])('bundled scenario %s', (scenario) => {
  it('reads every collection without error', async () => {
    const sim = await startSimulator({ scenario });
    try {
      const graph = adaptersFor(sim, {}, { sleep: quickSleep });
      const state = sim.tenant.state;
      expect((await drain(graph.autopilot.listDeviceIdentities())).items).toHaveLength(state.identities.count());
      expect((await drain(graph.autopilot.listEvents())).items).toHaveLength(state.events.count());
      expect((await drain(graph.directory.listManagedDevices())).items).toHaveLength(state.managedDevices.count());
      await drain(graph.directory.listAutopilotEntraDevices());
      await graph.autopilot.getSettings();
      expect(await graph.autopilot.exportDevicePrepDeployments()).toHaveLength(state.reportRows.length);
      for (const g of state.groups.values()) {
        await expect(graph.directory.getGroup(g.id)).resolves.toMatchObject({ id: g.id });
        await graph.directory.listGroupOwners(g.id);
        expect((await drain(graph.directory.listGroupMemberIds(g.id))).items.sort()).toEqual(
          sim.tenant.groupMembers(g.id).sort(),
        );
      }
    } finally {
      await sim.stop();
    }
  });
});
