import { describe } from 'vitest';
import { describeHistoryStore } from './history-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeHistoryStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeHistoryStore('tables', azuriteTables('ctHistory'));
});
