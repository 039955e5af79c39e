import { describe } from 'vitest';

import { describeApprovalStore } from './approval-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeApprovalStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeApprovalStore('tables', azuriteTables('ctApprovals'));
});
