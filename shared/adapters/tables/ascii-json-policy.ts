import type { TableClient } from '@azure/data-tables';

export const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * Azurite decodes request bodies chunk by chunk (`segments.join("")` over Buffers), so a multi-byte UTF-8
 * character that straddles a 64 KiB network chunk turns into two U+FFFD: large entities with non-ASCII text
 * (reports, device names) came back corrupted. Non-ASCII can only occur inside JSON strings, where \uXXXX is
 * the same value, so sending pure ASCII is correct for every endpoint and keeps Azurite and Azure identical.
 * (Content-Length is not part of the SharedKeyLite signature, so fixing it up here is safe.)
 */
export const asciiJsonBodyPolicy: Parameters<TableClient['pipeline']['addPolicy']>[0] = {
  name: 'autopilotMedicAsciiJsonBody',
  sendRequest(request, next) {
    if (typeof request.body === 'string') {
      request.body = request.body.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      // The shared-key policy may already have set Content-Length from the UTF-8 body; ASCII: 1 byte per char.
      if (request.headers.has('content-length')) request.headers.set('content-length', request.body.length);
    }
    return next(request);
  },
};
