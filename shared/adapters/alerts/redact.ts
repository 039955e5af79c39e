import { secretRedactor, type CutRedactor } from '../redaction/redact-secrets.js';

export { MASK, type CutRedactor, type Redactor } from '../redaction/redact-secrets.js';

// Teams Workflow URLs carry their authorisation in the query (`sig=`), and the webhook secret signs every
// payload: both are secrets. Anything a receiver or the HTTP stack says is passed through here before it
// reaches a log line or a DeliveryResult, because error texts (e.g. "Failed to parse URL from …") echo the URL.
// The masking itself (needles, URL-encoded needles, token and key=value shapes) is shared with the Graph adapter.

export function makeRedactor(url: string, secrets: readonly string[] = []): CutRedactor {
  const needles = new Set<string>([url, ...secrets]);
  try {
    const parsed = new URL(url);
    needles.add(`${parsed.origin}${parsed.pathname}`);
    if (parsed.search) needles.add(parsed.search.slice(1));
    for (const [, value] of parsed.searchParams) if (value.length >= 8) needles.add(value);
    // Long path segments are identifiers (workflow ids); the host alone is harmless but adds nothing.
    for (const segment of parsed.pathname.split('/')) if (segment.length >= 16) needles.add(segment);
  } catch {
    // An unparsable URL is still masked verbatim above.
  }
  return secretRedactor(needles);
}
