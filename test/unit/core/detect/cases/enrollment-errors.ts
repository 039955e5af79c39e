import { CODES, type FindingCode } from '../../../../../shared/core/catalog/codes.js';
import { HOUR, NOW, event, snapshot } from '../../../../support/builders.js';
import type { Case } from './types.js';

const C = CODES;

// Each classified HRESULT in the form the docs print it, plus one other spelling of the same value so every
// normalisation path (0x / bare / upper case / unsigned / signed decimal / symbolic name) is exercised.
const TABLE: readonly { code: FindingCode; docs: string; other: string }[] = [
  { code: C.AP_ONE_TIME_ENROLLMENT_BLOCK, docs: 'Error 0x80180014', other: 'hr=-2145910764' },
  { code: C.AP_PREPROV_NOT_ALLOWED, docs: '0x80180005', other: 'code 2149056517' },
  { code: C.AP_TPM_ATTESTATION_FAILED, docs: '0x801c03ea', other: '0X801C03EA' },
  {
    code: C.AP_TPM_ATTESTATION_RETRY_EXCEEDED,
    docs: '0x81039001',
    other: 'E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED',
  },
  { code: C.AP_TPM_WIN11_ATTESTATION_UPDATE, docs: '0x81039023', other: '81039023' },
  { code: C.AP_TPM_VULNERABLE_FIRMWARE, docs: '0x81039024', other: '-2130472924' },
  { code: C.AP_TPM_AMD_FTPM_FIRMWARE, docs: '0x80070490', other: '80070490' },
  { code: C.AP_DEPLOYMENT_TIMEOUT, docs: '0x800705B4', other: '-2147023436' },
  { code: C.AP_MULTIPLE_MDM_CONFIGS, docs: '0xc1036501', other: 'C1036501' },
  { code: C.AP_ENTRA_OBJECT_DELETED, docs: 'HResult 0x801C03F3', other: '801c03f3' },
  { code: C.AP_USER_DEVICE_LIMIT, docs: 'error code 801c0003', other: '0x801C0003' },
  { code: C.AP_USER_LICENSE_OR_LIMIT, docs: 'error code "80180018"', other: '0x80180018' },
];

const technician = { enrollmentType: 'azureADJoinedWithWhiteGlove' as const, deploymentState: 'failure' as const };

export const ENROLLMENT_ERROR_CASES: readonly Case[] = TABLE.flatMap((t): Case[] => [
  {
    code: t.code,
    name: `technician flow failed with "${t.docs}"`,
    expect: 'present',
    snapshot: snapshot({ events: [event({ ...technician, failureDetails: t.docs })] }),
    subjectKey: 'SN-1',
  },
  {
    code: t.code,
    name: `self-deploying failed with "${t.other}"`,
    expect: 'present',
    snapshot: snapshot({
      events: [
        event({
          enrollmentType: 'azureADJoinedUsingDeviceAuthWithAutopilotProfile',
          deploymentState: 'failure',
          failureDetails: t.other,
        }),
      ],
    }),
  },
  {
    code: t.code,
    name: `"${t.docs}" superseded by a later successful attempt`,
    expect: 'absent',
    snapshot: snapshot({
      events: [
        event({ ...technician, id: 'ev-old', failureDetails: t.docs, deploymentStartAt: NOW - 30 * HOUR }),
        event({ ...technician, id: 'ev-new', deploymentState: 'success', deploymentStartAt: NOW - 3 * HOUR }),
      ],
    }),
  },
  {
    code: t.code,
    name: `"${t.docs}" inside a GUID is not an error code`,
    expect: 'absent',
    snapshot: snapshot({
      events: [
        event({
          ...technician,
          failureDetails: `correlation ${t.docs.replace(/.*?([0-9a-fA-F]{8}).*/, '$1')}-1111-2222-3333-444455556666`,
        }),
      ],
    }),
  },
]);
