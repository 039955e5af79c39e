import { describe } from 'vitest';
import { describeReportStore } from './report-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeReportStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeReportStore('tables', azuriteTables('ctReports'));
});
