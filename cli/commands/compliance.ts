import { writeFile } from 'node:fs/promises';

import { runComplianceSweep } from '../../shared/app/compliance/run-compliance-sweep.js';
import { renderDashboardHtml, renderReportText } from '../../shared/core/report/index.js';
import { bool, type CommandSpec, type ParsedFlags, str } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progressReporter } from '../output/progress.js';
import { openSession, type StopSignal } from '../session.js';

export const complianceSpec: CommandSpec = {
  name: 'compliance',
  summary: 'Full compliance sweep (every detector, slow checks included), stored report and digest; prints the report.',
  flags: {
    json: { type: 'boolean', help: 'print the report as JSON to stdout' },
    out: { type: 'string', value: 'FILE.html', help: 'also write the self-contained dashboard page to FILE.html' },
    plan: { type: 'boolean', help: 'plan mode for every action the sweep decides (nothing written to the tenant)' },
    scenario: { type: 'string', value: 'NAME|FILE', help: 'simulator scenario for the embedded default (default: demo)' },
    verbose: { type: 'boolean', help: 'structured debug logs on stderr' },
  },
};

export async function complianceCommand(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>, stop: StopSignal): Promise<number> {
  const out = str(flags, 'out');
  const progress = progressReporter();
  const session = await openSession({
    env,
    verbose: bool(flags, 'verbose'),
    ...(str(flags, 'scenario') ? { scenario: str(flags, 'scenario') } : {}),
    ...(progress.onProgress && !bool(flags, 'json') ? { onProgress: progress.onProgress } : {}),
  });
  try {
    const { container } = session;
    const runId = `cli-compliance-${new Date(container.clock.now()).toISOString().replace(/[:.]/g, '')}`;
    const result = await runComplianceSweep(container.complianceDeps(), container.complianceOptions(runId, { forcePlan: bool(flags, 'plan') }));
    progress.done();
    if (stop.stopRequested) return 130;
    if (out) await writeFile(out, renderDashboardHtml(result.report, { generatedAt: result.report.generatedAt }), 'utf8');
    process.stdout.write(bool(flags, 'json') ? `${JSON.stringify(result.report, null, 2)}\n` : `${renderReportText(result.report)}\n`);
    if (out && !bool(flags, 'json')) process.stdout.write(`Dashboard written to ${out}\n`);
    return EXIT.ok;
  } finally {
    progress.done();
    await session.close();
  }
}
