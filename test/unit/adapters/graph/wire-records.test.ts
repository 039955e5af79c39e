import { describe, expect, it } from 'vitest';
import {
  eventSchema,
  identitySchema,
  parseEvent,
  parseIdentity,
} from '../../../../shared/adapters/graph/schemas/autopilot.js';
import { describeParseError } from '../../../../shared/adapters/graph/schemas/common.js';
import {
  entraDeviceSchema,
  managedDeviceSchema,
  parseEntraDevice,
  parseManagedDevice,
} from '../../../../shared/adapters/graph/schemas/directory.js';

// The bulk parsers (identities, events, Entra and Intune devices) map a well-formed item without zod and send
// anything else through the schema. Whatever the item, they must answer exactly what the schema answers: the
// same record, or the same error (the paging adapter quotes it when it refuses a page).

const RECORDS = [
  { name: 'identity', parse: parseIdentity, schema: identitySchema },
  { name: 'event', parse: parseEvent, schema: eventSchema },
  { name: 'Entra device', parse: parseEntraDevice, schema: entraDeviceSchema },
  { name: 'managed device', parse: parseManagedDevice, schema: managedDeviceSchema },
] as const;

const ZERO = '00000000-0000-0000-0000-000000000000';

/** Items with an id, and every field the four records read set to something odd, absent or ordinary. */
const ODD_VALUES: readonly unknown[] = [undefined, null, '', ' ', 0, 1, true, false, [], {}, ['x'], ZERO, 'PT0S'];
const FIELDS = [
  'serialNumber',
  'manufacturer',
  'model',
  'groupTag',
  'displayName',
  'enrollmentState',
  'userlessEnrollmentStatus',
  'remediationState',
  'remediationStateLastModifiedDateTime',
  'deploymentProfileAssignmentStatus',
  'deploymentProfileAssignedDateTime',
  'lastContactedDateTime',
  'azureAdDeviceId',
  'azureActiveDirectoryDeviceId',
  'managedDeviceId',
  'userPrincipalName',
  'deviceId',
  'deviceSerialNumber',
  'eventDateTime',
  'enrollmentType',
  'deploymentState',
  'deviceSetupStatus',
  'accountSetupStatus',
  'deploymentStartDateTime',
  'deploymentEndDateTime',
  'enrollmentStartDateTime',
  'deploymentTotalDuration',
  'enrollmentFailureDetails',
  'windowsAutopilotDeploymentProfileDisplayName',
  'managedDeviceName',
  'enrollmentProfileName',
  'physicalIds',
  'trustType',
  'registrationDateTime',
  'deviceName',
  'azureADDeviceId',
  'complianceState',
  'lastSyncDateTime',
  'enrolledDateTime',
  'autopilotEnrolled',
];

const ORDINARY: Record<string, unknown> = {
  id: 'rec-1',
  serialNumber: 'SN-1',
  manufacturer: 'Contoso',
  model: 'Laptop 7',
  groupTag: 'Sales',
  displayName: 'CTS-SN-1',
  enrollmentState: 'ENROLLED',
  userlessEnrollmentStatus: 'blocked',
  remediationState: 'automaticRemediationRequired',
  remediationStateLastModifiedDateTime: '2025-03-01T08:00:00Z',
  deploymentProfileAssignmentStatus: 'assignedInSync',
  deploymentProfileAssignedDateTime: '0001-01-01T00:00:00Z',
  lastContactedDateTime: '2025-03-02T08:00:00Z',
  azureAdDeviceId: '22222222-2222-2222-2222-222222222222',
  managedDeviceId: ZERO,
  deviceSerialNumber: 'sn-1',
  eventDateTime: '2025-03-03T08:00:00Z',
  enrollmentType: 'azureADJoinedWithWhiteGlove',
  deploymentState: 'failure',
  deploymentTotalDuration: 'PT23M10S',
  enrollmentFailureDetails: '0x80180014',
  enrollmentProfileName: 'Contoso Autopilot',
  physicalIds: ['[ZTDId]:abc', 7, null],
  trustType: 'AzureAd',
  complianceState: 'noncompliant',
  autopilotEnrolled: true,
  '@odata.type': '#microsoft.graph.whatever',
  deviceAccountPassword: 'never-read',
};

function items(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [ORDINARY, { id: 'minimal' }];
  for (const field of FIELDS) {
    for (const value of ODD_VALUES) {
      const item: Record<string, unknown> = { ...ORDINARY };
      if (value === undefined) delete item[field];
      else item[field] = value;
      out.push(item);
    }
  }
  return out;
}

/** The record, or the error text, a parser gives for an item. */
function outcome(parse: (raw: unknown) => unknown, raw: unknown): unknown {
  try {
    return { record: parse(raw) };
  } catch (err) {
    return { error: describeParseError(err) };
  }
}

const BAD_ITEMS: readonly unknown[] = [
  null,
  undefined,
  'rec-1',
  42,
  [],
  [{ id: 'rec-1' }],
  {},
  { id: '' },
  { id: 7 },
  { id: null },
  { id: ['rec-1'] },
  { id: { value: 'rec-1' } },
  { serialNumber: 'SN-1' },
];

describe.each(RECORDS)('bulk parser of the $name record', ({ parse, schema }) => {
  it('gives the schema’s record for every item with an id, whatever its other fields hold', () => {
    for (const raw of items()) expect(outcome(parse, raw)).toEqual(outcome((r) => schema.parse(r), raw));
  });

  it('refuses an item without a usable id with the schema’s own error', () => {
    for (const raw of BAD_ITEMS) {
      const mine = outcome(parse, raw);
      expect(mine).toEqual(outcome((r) => schema.parse(r), raw));
      expect(mine).toHaveProperty('error');
    }
  });

  it('reads an inherited id as the schema does (only own JSON properties arrive, but the two must agree)', () => {
    const inherited: unknown = Object.create({ id: 'from-prototype' });
    expect(outcome(parse, inherited)).toEqual(outcome((r) => schema.parse(r), inherited));
  });
});
