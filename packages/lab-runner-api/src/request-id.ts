import { randomUUID } from "node:crypto";

/** The header that carries one request's id from the web app to lab-runner (and from a proxy to either). */
export const requestIdHeader = "x-request-id";

// A caller's id ends up in every log line of the request: only short, plain tokens are kept, so a
// header cannot forge log fields or flood the log.
const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is a sane token, else a new one. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && saneRequestId.test(value) ? value : randomUUID();
}
