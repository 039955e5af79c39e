import { it } from 'vitest';
import { startHarness } from '../../support/harness.js';

it('probe 10k', async () => {
  const t0 = Date.now();
  const h = await startHarness({ scenario: 'large' });
  console.log('start ms', Date.now() - t0, h.config.devicePrepGroups);
  try {
    const t1 = Date.now();
    const r = await h.runCompliance();
    console.log('sweep ms', Date.now() - t1);
    console.log(JSON.stringify(r.report.summary, null, 1));
    console.log(JSON.stringify(h.sim.planted.counts));
    console.log(h.sim.requests().length);
  } finally {
    await h.stop();
  }
}, 300_000);
