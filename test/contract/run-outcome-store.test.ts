import { describe } from 'vitest';

import { azuriteTables, memoryStores } from './fixtures.js';
import { describeRunOutcomeStore } from './run-outcome-store.contract.js';

describeRunOutcomeStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeRunOutcomeStore('tables', azuriteTables('ctRunOutcomes'));
});
