import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { rowIdForRequest } from "./request-id";

describe("rowIdForRequest", () => {
  const base = { tenantId: randomUUID(), userId: randomUUID(), kind: "extension", requestId: randomUUID() };

  it("is a valid UUID, the same for the same request", () => {
    const id = rowIdForRequest(base);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rowIdForRequest({ ...base, requestId: base.requestId.toUpperCase() })).toBe(id);
  });

  it("differs by organisation, caller, kind and request, and is never the request id itself", () => {
    const ids = [
      rowIdForRequest(base),
      rowIdForRequest({ ...base, tenantId: randomUUID() }),
      rowIdForRequest({ ...base, userId: randomUUID() }),
      rowIdForRequest({ ...base, kind: "announcement" }),
      rowIdForRequest({ ...base, requestId: randomUUID() }),
      base.requestId,
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
