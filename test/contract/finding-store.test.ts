import { describe } from 'vitest';
import { describeFindingStore } from './finding-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeFindingStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeFindingStore('tables', azuriteTables('ctFindings'));
});
