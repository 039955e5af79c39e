import { approvalToken, type ApprovalRequest } from '../../core/approvals/index.js';

/** APPROVAL_* settings as the use cases need them. */
export interface ApprovalSettings {
  /** HMAC key of the review links' tokens; null = no links (the CLI decides). */
  readonly signingKey: string | null;
  /** The app's public address; null = no links. */
  readonly baseUrl: string | null;
  readonly expiryMs: number;
}

/** The review page of a request with its single-use token, or null when no link can be issued. */
export function reviewUrl(settings: ApprovalSettings, request: ApprovalRequest): string | null {
  if (settings.signingKey === null || settings.baseUrl === null) return null;
  const token = approvalToken(settings.signingKey, request);
  return `${settings.baseUrl.replace(/\/+$/, '')}/api/approvals/${request.id}?token=${token}`;
}
