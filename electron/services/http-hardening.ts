/**
 * What every HTTP server of the kiosk answers with and refuses, in one place: the browser
 * preview and the EPN hub. Both are reachable by web pages (the preview on 127.0.0.1, the
 * hub on the EPN's network), so both send the same protective headers and read JSON bodies
 * the same careful way.
 */

/** Headers on every answer: no sniffing, no referrer, never framed, no powerful features. */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Services get no camera, microphone or location in the preview either; the hub's dashboard needs none.
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=(), display-capture=()',
} as const;

/** JSON answers are never documents: nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A request body that is refused before any handler sees it; servers answer it with 400. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
}

/** JSON.parse, refusing the keys that prototype-pollution attacks rely on. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        throw new RequestBodyError(`the request body contains a "${key}" field, which is refused`);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof RequestBodyError) throw error;
    throw new RequestBodyError(`the request body is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
