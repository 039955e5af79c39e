import type { Evidence, Subject } from '../model/index.js';

// Words for people. Evidence keys are Graph-style camelCase field names; on a card they wrap mid-word and read as
// code, so each becomes a sentence-case label. Devices are named the way an admin searches for them in the
// Intune admin center: serial number and device name, never an Entra object id when a name is known.

const ACRONYMS: Readonly<Record<string, string>> = {
  id: 'ID',
  ids: 'IDs',
  tpm: 'TPM',
  os: 'OS',
  esp: 'ESP',
  oobe: 'OOBE',
  mdm: 'MDM',
  upn: 'UPN',
  url: 'URL',
  utc: 'UTC',
  hresult: 'HRESULT',
  entra: 'Entra',
  intune: 'Intune',
  autopilot: 'Autopilot',
  windows: 'Windows',
};

/** Labels worded better than a split would make them. */
const LABELS: Readonly<Record<string, string>> = {
  serialNumber: 'Serial number',
  deviceName: 'Device name',
  managedDeviceName: 'Device name',
  managedDeviceId: 'Intune device ID',
  entraObjectId: 'Entra object ID',
  entraDeviceId: 'Entra device ID',
  userlessEnrollmentStatus: 'Userless enrollment status',
  enrollmentState: 'Enrollment state',
  lastContactedAt: 'Last contact',
  failureCode: 'Failure code',
  errorCode: 'Error code',
};

/** `userlessEnrollmentStatus` → `Userless enrollment status`; keys that are already words are kept. */
export function evidenceLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  if (/[\s]/.test(key) || !/^[A-Za-z0-9_]+$/.test(key)) return key;
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  if (words.length === 0) return key;
  const [first, ...rest] = words;
  return [first!.charAt(0).toUpperCase() + first!.slice(1), ...rest].join(' ');
}

const NAME_KEYS = ['deviceName', 'managedDeviceName', 'displayName'] as const;

function text(value: Evidence[string] | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * "SN-1 · DESKTOP-1": the serial and the device name, whichever are known; an Autopilot or Entra id only when
 * neither is. Group subjects show the group's name when the evidence has it.
 */
export function subjectName(subject: Subject, evidence: Evidence = {}): string {
  switch (subject.kind) {
    case 'device': {
      const name = NAME_KEYS.map((k) => text(evidence[k])).find((v) => v !== null) ?? null;
      const parts = [subject.serialNumber, name].filter((v): v is string => v !== null && v !== '');
      if (parts.length > 0) return parts.join(' · ');
      return subject.autopilotId ? `Autopilot ID ${subject.autopilotId}` : subject.key;
    }
    case 'group':
      return text(evidence['groupName']) ?? subject.groupId;
    case 'tenant':
      return 'the tenant';
  }
}
