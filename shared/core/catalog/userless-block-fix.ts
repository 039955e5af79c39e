import type { Evidence, EvidenceValue } from '../model/index.js';

// The fix for a device blocked by the one-time self-deploying / pre-provisioning enrollment block depends on
// who made it. Microsoft documents:
// - "Which manufacturers are enabled for pre-population of username and automatic re-enrollment of
//   pre-provisioning devices?" — Windows Autopilot FAQ, section "General",
//   https://learn.microsoft.com/autopilot/autopilot-faq: Dell, Dynabook, HP, Lenovo and Microsoft Surface.
// - "Unblock fix pending state for self-deploying and pre-provisioning mode for disabled OEMs" — Windows
//   Autopilot: What's new, https://learn.microsoft.com/autopilot/windows-autopilot-whats-new: the Unblock
//   device button exists for the manufacturers outside that list, and only works for some of them.
// - "Why is error code 0x80180014 occurring when trying to re-enroll a previously enrolled device?" — Windows
//   Autopilot troubleshooting FAQ, section "Troubleshooting Windows Autopilot device import and enrollment",
//   https://learn.microsoft.com/autopilot/troubleshooting-faq: delete the device record Intune created, or
//   set Windows (MDM) to Allow in the device platform restrictions, which cause the same code.

/** The list of that FAQ answer, by the names devices report (e.g. "Dell Inc.", "Hewlett-Packard"). */
const OEMS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Dell', pattern: /^dell\b/ },
  { name: 'Dynabook', pattern: /^dynabook\b/ },
  { name: 'HP', pattern: /^(hp|hewlett[ -]?packard)\b/ },
  { name: 'Lenovo', pattern: /^lenovo\b/ },
  { name: 'Microsoft Surface', pattern: /^microsoft\b/ },
];
const OEM_LIST = 'Dell, Dynabook, HP, Lenovo, Microsoft Surface';

/** The manufacturer is tenant data: it is shown only when it is plain words (no markup, no control characters). */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 .-]{0,39}$/;

export type Manufacturer =
  | { readonly kind: 'listed'; readonly name: string }
  | { readonly kind: 'other'; readonly name: string }
  | { readonly kind: 'unknown' };

export function classifyManufacturer(value: EvidenceValue | undefined): Manufacturer {
  if (typeof value !== 'string') return { kind: 'unknown' };
  const m = value.trim().replace(/\s+/g, ' ');
  const listed = OEMS.find((o) => o.pattern.test(m.toLowerCase()));
  if (listed) return { kind: 'listed', name: listed.name };
  return PLAIN.test(m) ? { kind: 'other', name: m } : { kind: 'unknown' };
}

const BLOCK = 'One-time self-deploying / pre-provisioning block: a reset or redeploy fails with 0x80180014.';
const UNBLOCK = 'Windows Autopilot devices › select it › Unblock device, then redeploy';
const ALTERNATIVES =
  'Alternatives: delete its Intune device record (Devices › All devices), then redeploy; Windows (MDM) set to Block in ' +
  "a device platform restriction gives the same code, so check it is Allow. Don't unblock devices nobody is reusing.";

// Kept under the 600 characters an alert card shows of a fix, with the longest manufacturer name allowed.
function whoMadeIt(m: Manufacturer): string {
  switch (m.kind) {
    case 'listed':
      return `Manufacturer: ${m.name}, on Microsoft's automatic re-enrollment list (${OEM_LIST}); Unblock device is documented only for manufacturers outside it, so prefer the alternatives.`;
    case 'other':
      return `Manufacturer: ${m.name}, not on Microsoft's automatic re-enrollment list (${OEM_LIST}): ${UNBLOCK} (works for some manufacturers only).`;
    case 'unknown':
      return `Manufacturer not shown: Microsoft's automatic re-enrollment list is ${OEM_LIST}; for others, ${UNBLOCK} (some manufacturers only).`;
  }
}

/** The fix for AP_USERLESS_BLOCKED, naming the device's manufacturer when the evidence carries one. */
export function userlessBlockedFix(evidence: Evidence): string {
  return `${BLOCK} ${whoMadeIt(classifyManufacturer(evidence.manufacturer))} ${ALTERNATIVES}`;
}

/** The same fix without a device (reports, the README). */
export const USERLESS_BLOCKED_FIX = userlessBlockedFix({});
