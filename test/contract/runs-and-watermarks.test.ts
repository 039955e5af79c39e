import { describe } from 'vitest';
import { describeRunLockStore, describeWatermarkStore } from './runs-and-watermarks.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeRunLockStore('memory', memoryStores);
describeWatermarkStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  const tables = azuriteTables('ctRunsMarks');
  describeRunLockStore('tables', tables);
  describeWatermarkStore('tables', tables);
});
