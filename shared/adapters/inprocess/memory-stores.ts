import type { Stores } from '../../ports/stores.port.js';
import { MemoryApprovalStore } from './memory-approval-store.js';
import { MemoryClaimStore } from './memory-claim-store.js';
import { MemoryHistoryStore } from './memory-history-store.js';
import { MemoryReportStore } from './memory-report-store.js';
import {
  MemoryAlertStateStore,
  MemoryFindingStore,
  MemoryGovernorStore,
  MemoryRunLockStore,
  MemoryRunOutcomeStore,
  MemoryWatermarkStore,
} from './memory-state-stores.js';

export { MemoryApprovalStore } from './memory-approval-store.js';
export { MemoryClaimStore } from './memory-claim-store.js';
export { MemoryHistoryStore } from './memory-history-store.js';
export { MemoryReportStore } from './memory-report-store.js';
export {
  MemoryAlertStateStore,
  MemoryFindingStore,
  MemoryGovernorStore,
  MemoryRunLockStore,
  MemoryRunOutcomeStore,
  MemoryWatermarkStore,
} from './memory-state-stores.js';

/** Fresh, empty in-process stores with the Table adapters' semantics (tests, `sim`, the CLI's plan runs). */
export function createMemoryStores(): Stores {
  return {
    history: new MemoryHistoryStore(),
    findings: new MemoryFindingStore(),
    claims: new MemoryClaimStore(),
    governor: new MemoryGovernorStore(),
    watermarks: new MemoryWatermarkStore(),
    alerts: new MemoryAlertStateStore(),
    reports: new MemoryReportStore(),
    runs: new MemoryRunLockStore(),
    runOutcomes: new MemoryRunOutcomeStore(),
    approvals: new MemoryApprovalStore(),
  };
}
