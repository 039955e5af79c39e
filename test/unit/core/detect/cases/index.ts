import { ARTEFACT_CASES } from './artefacts.js';
import { DEPLOYMENT_CASES } from './deployment.js';
import { DEVICE_PREP_CASES } from './device-prep.js';
import { ENROLLMENT_ERROR_CASES } from './enrollment-errors.js';
import { IDENTITY_CASES } from './identity.js';
import { IMPORT_CASES } from './imports.js';
import { LIFECYCLE_CASES } from './lifecycle.js';
import { PREPROVISIONING_CASES } from './preprovisioning.js';
import { RECORD_CASES } from './records.js';
import type { Case } from './types.js';

export type { Case } from './types.js';

export const ALL_CASES: readonly Case[] = [
  ...DEPLOYMENT_CASES,
  ...ENROLLMENT_ERROR_CASES,
  ...PREPROVISIONING_CASES,
  ...IDENTITY_CASES,
  ...IMPORT_CASES,
  ...DEVICE_PREP_CASES,
  ...LIFECYCLE_CASES,
  ...RECORD_CASES,
  ...ARTEFACT_CASES,
];
