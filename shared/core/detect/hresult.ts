import { CODES, type FindingCode } from '../catalog/codes.js';

// enrollmentFailureDetails is free text. The same HRESULT shows up as "0x80180014", "80180014", "0X80180014",
// "2149056532" or "-2145910764" depending on who wrote it, so every form is normalised to 8 lower-case hex
// digits before lookup. Hex runs that are part of a GUID (joined by '-') are ignored.

const HEX = /(?<![0-9a-z_-])(?:0x)?([0-9a-f]{8})(?![0-9a-z_-])/gi;
const DEC = /(?<![0-9a-z_.-])(-?\d{9,10})(?![0-9a-z_.])/gi;
const UINT32 = 0x1_0000_0000;

/** Symbolic names the docs print instead of (or next to) the number. */
const NAMES: Readonly<Record<string, string>> = {
  e_autopilot_client_tpm_max_attestation_retry_exceeded: '81039001',
};

function fromDecimal(text: string): string | null {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return null;
  // Failure HRESULTs have the high bit set: negative as int32, or ≥ 2^31 as uint32.
  if (n < 0 && n >= -0x8000_0000) return (n + UINT32).toString(16).padStart(8, '0');
  if (n >= 0x8000_0000 && n < UINT32) return n.toString(16).padStart(8, '0');
  return null;
}

/** Every HRESULT-looking value in the text, normalised, in order of appearance (duplicates removed). */
export function extractErrorCodes(details: string | null | undefined): string[] {
  if (!details) return [];
  const found: { at: number; code: string }[] = [];
  for (const m of details.matchAll(HEX)) if (m[1]) found.push({ at: m.index, code: m[1].toLowerCase() });
  for (const m of details.matchAll(DEC)) {
    const hex = m[1] ? fromDecimal(m[1]) : null;
    if (hex) found.push({ at: m.index, code: hex });
  }
  const lower = details.toLowerCase();
  for (const [name, code] of Object.entries(NAMES)) {
    const at = lower.indexOf(name);
    if (at >= 0) found.push({ at, code });
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.code))];
}

/** HRESULT (normalised) → the catalog code that documents its fix. */
export const ERROR_CODE_FINDINGS: Readonly<Record<string, FindingCode>> = {
  '80180014': CODES.AP_ONE_TIME_ENROLLMENT_BLOCK,
  '80180005': CODES.AP_PREPROV_NOT_ALLOWED,
  '801c03ea': CODES.AP_TPM_ATTESTATION_FAILED,
  '81039001': CODES.AP_TPM_ATTESTATION_RETRY_EXCEEDED,
  '81039023': CODES.AP_TPM_WIN11_ATTESTATION_UPDATE,
  '81039024': CODES.AP_TPM_VULNERABLE_FIRMWARE,
  '80070490': CODES.AP_TPM_AMD_FTPM_FIRMWARE,
  '800705b4': CODES.AP_DEPLOYMENT_TIMEOUT,
  c1036501: CODES.AP_MULTIPLE_MDM_CONFIGS,
  '801c03f3': CODES.AP_ENTRA_OBJECT_DELETED,
  '801c0003': CODES.AP_USER_DEVICE_LIMIT,
  '80180018': CODES.AP_USER_LICENSE_OR_LIMIT,
};

export interface ClassifiedError {
  /** First code in the text, normalised ("0x" + 8 hex), or null when the text has none. */
  readonly errorCode: string | null;
  /** The catalog code for the first code the catalog knows, or null. */
  readonly finding: FindingCode | null;
  /** The HRESULT `finding` was classified from. */
  readonly matched: string | null;
}

export function classifyFailure(details: string | null | undefined): ClassifiedError {
  const codes = extractErrorCodes(details);
  const known = codes.find((c) => ERROR_CODE_FINDINGS[c] !== undefined) ?? null;
  const first = codes[0] ?? null;
  return {
    errorCode: first === null ? null : `0x${first}`,
    finding: known === null ? null : (ERROR_CODE_FINDINGS[known] ?? null),
    matched: known === null ? null : `0x${known}`,
  };
}
