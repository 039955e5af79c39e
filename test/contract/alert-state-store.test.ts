import { describe } from 'vitest';
import { describeAlertStateStore } from './alert-state-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeAlertStateStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeAlertStateStore('tables', azuriteTables('ctAlerts'));
});
