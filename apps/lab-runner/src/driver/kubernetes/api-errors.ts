import { ApiException } from "@kubernetes/client-node";

/** What the API server said, from client-node's ApiException (body as text or as parsed Status). */
export function apiFailure(error: unknown): { code: number; message: string } | null {
  if (error instanceof Error && error.cause instanceof ApiException) return apiFailure(error.cause);
  if (!(error instanceof ApiException)) return null;
  const body: unknown = typeof error.body === "string" ? safeJson(error.body) : error.body;
  const message =
    typeof body === "object" && body !== null && "message" in body ? String((body as { message: unknown }).message) : String(error.body);
  return { code: error.code, message };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const isNotFound = (error: unknown) => apiFailure(error)?.code === 404;

/**
 * Failures that go away by themselves, kept apart from permanent ones (invalid object, forbidden):
 * conflicts, throttling, an API server restarting, and the quota admission refusing pods until
 * the quota controller has computed the brand-new namespace's usage.
 */
export function isRetryable(error: unknown): boolean {
  const failure = apiFailure(error);
  if (!failure) return error instanceof Error && /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up/.test(error.message);
  if ([409, 429, 500, 502, 503, 504].includes(failure.code)) return true;
  return failure.code === 403 && /status unknown for quota|unable to admit/.test(failure.message);
}

/** Runs `attempt` until it succeeds, a permanent error, or the last try; backs off exponentially with jitter. */
export async function withRetries<T>(attempt: () => Promise<T>, tries = 8, firstDelayMs = 100): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !isRetryable(error)) throw describeApiError(error);
      const delay = firstDelayMs * 2 ** (i - 1);
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay));
    }
  }
}

/** An Error whose message says what the API server said, instead of "Unsuccessful HTTP Request". */
export function describeApiError(error: unknown): unknown {
  const failure = apiFailure(error);
  if (!failure) return error;
  const described = new Error(`Kubernetes API ${failure.code}: ${failure.message}`, { cause: error });
  return Object.assign(described, { code: failure.code });
}
