export { buildComplianceReport } from './build-report.js';
export type { FindingRecordLike, HistoryEventLike, ReportInput } from './inputs.js';
export { DASHBOARD_REFRESH, renderDashboardHtml } from './render-dashboard.js';
export type { DashboardOptions } from './render-dashboard.js';
export type { NextRun, RunLine, RunsStrip } from './dashboard-runs.js';
export { renderReportText } from './render-text.js';
export { escapeHtml } from './html.js';
export { DEFAULT_LIST_CAP } from './rows.js';
export * from './types.js';
