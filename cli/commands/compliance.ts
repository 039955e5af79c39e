import { writeFile } from 'node:fs/promises';

import { runComplianceSweep } from '../../shared/app/compliance/run-compliance-sweep.js';
import { renderDashboardHtml, renderReportText } from '../../shared/core/report/index.js';
import { bool, type CommandSpec, type ParsedFlags, str } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { progressReporter } from '../output/progress.js';
import { terminalJson, terminalLines, terminalText } from '../output/terminal.js';
import { openCliSession, SESSION_FLAGS, type StopSignal } from '../session.js';

export const complianceSpec: CommandSpec = {
  name: 'compliance',
  summary: 'Full compliance sweep (every detector, slow checks included), stored report and digest; prints the report.',
  flags: {
    ...SESSION_FLAGS,
    json: { type: 'boolean', help: 'print the report as JSON to stdout' },
    out: { type: 'string', value: 'FILE.html', help: 'also write the self-contained dashboard page to FILE.html' },
  },
};

export async function complianceCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
  stop: StopSignal,
): Promise<number> {
  const out = str(flags, 'out');
  const progress = progressReporter();
  const session = await openCliSession('compliance', flags, env, progress);
  try {
    const { container } = session;
    const runId = `cli-compliance-${new Date(container.clock.now()).toISOString().replace(/[:.]/g, '')}`;
    const result = await runComplianceSweep(
      container.complianceDeps(),
      container.complianceOptions(runId, { forcePlan: bool(flags, 'plan') }),
    );
    progress.done();
    if (stop.stopRequested) return 130;
    if (out)
      await writeFile(out, renderDashboardHtml(result.report, { generatedAt: result.report.generatedAt }), 'utf8');
    process.stdout.write(
      bool(flags, 'json')
        ? `${terminalJson(result.report, 2)}\n`
        : `${terminalLines(renderReportText(result.report))}\n`,
    );
    if (out && !bool(flags, 'json')) process.stdout.write(`Dashboard written to ${terminalText(out)}\n`);
    return EXIT.ok;
  } finally {
    progress.done();
    await session.close();
  }
}
