import { describe } from 'vitest';
import { describeGovernorStore } from './governor-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeGovernorStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeGovernorStore('tables', azuriteTables('ctGovernor'));
});
