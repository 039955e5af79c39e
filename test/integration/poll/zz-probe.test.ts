import { it } from 'vitest';
import { startHarness, wireRequests } from '../../support/harness.js';

it('probe', async () => {
  for (const scenario of ['demo', 'healthy', 'deviceprep-broken']) {
   for (const kind of ['incremental', 'full'] as const) {
    const t0 = Date.now();
    const h = await startHarness({ scenario });
    try {
      const r = await h.runPoll(kind);
      console.log(scenario, kind, 'ms', Date.now() - t0, 'opened\n', r.opened.map((f) => `${f.code} ${f.subject.key} ${f.severity} ${f.remedy ? JSON.stringify(f.remedy) : ''}`).join('\n'));
      console.log(wireRequests(h.sim).map((q) => `${q.method} ${q.version}${q.path} ${q.status} ${JSON.stringify(q.query)}`).join('\n'));
      console.log('decisions', JSON.stringify(r.plan.decisions.map((d) => [d.kind, d.finding.code, d.finding.subject.key, d.reason])));
      console.log('commands', JSON.stringify(r.plan.commands.map((c) => [c.action, c.target])));
    } catch (e) {
      console.log(scenario, 'ERR', e);
      console.log(wireRequests(h.sim).map((q) => `${q.method} ${q.version}${q.path} ${q.status}`).join('\n'));
    } finally {
      await h.stop();
    }
   }
  }
}, 120_000);
