/**
 * Report export jobs (both versions): POST creates (201), GET polls. The job's `search` property is
 * beta-only and rendered only there.
 */
import type { GraphRequest } from '../http/context.js';
import type { Route } from '../http/router.js';
import { render } from '../model/resources.js';
import type { ExportJob } from '../reports/jobs.js';
import { checkOptions, contextUrl } from '../odata/query.js';
import { requireRecord } from './directory.js';

const SET = 'deviceManagement/reports/exportJobs';

const jobBody = (req: GraphRequest, job: ExportJob): Record<string, unknown> => ({
  '@odata.context': contextUrl(req, SET, null, true),
  ...render('exportJob', { ...job, search: null }, req.version, null, false),
});

export const reportRoutes: Route[] = [
  {
    method: 'POST',
    pattern: `/${SET}`,
    handler: (req, _p, env) => ({
      status: 201,
      body: jobBody(req, env.exports.create(requireRecord(req.body), env.clock.nowMs())),
    }),
  },
  {
    method: 'GET',
    pattern: `/${SET}/{id}`,
    handler: (req, p, env) => {
      checkOptions(req, [], true);
      const t = env.tenant;
      const data = { deployments: () => t.reportRows, apps: () => t.reportAppRows, scripts: () => t.reportScriptRows };
      const job = env.exports.poll(p['id'] ?? '', env.clock.nowMs(), env.settings.exportJob, data, req.baseUrl);
      return { status: 200, body: jobBody(req, job) };
    },
  },
];
