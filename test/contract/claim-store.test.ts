import { describe } from 'vitest';
import { describeClaimStore } from './claim-store.contract.js';
import { azuriteTables, memoryStores } from './fixtures.js';

describeClaimStore('memory', memoryStores);

describe('Azure Table Storage (Azurite)', () => {
  describeClaimStore('tables', azuriteTables('ctClaims'));
});
