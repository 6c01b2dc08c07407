import { ApiException } from "@kubernetes/client-node";

/** HTTP status of a failed Kubernetes API call, if the error came from the API server. */
export function apiStatusCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (typeof err === "object" && err !== null) {
    const code =
      (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof code === "number") return code;
  }
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return apiStatusCode(err) === 404;
}

/**
 * The API server does not serve the object's kind (its CRDs are not installed). client-node's
 * KubernetesObjectApi looks the kind up first: a group that is not served answers 404 to that
 * lookup, a served group without the kind gives a plain Error.
 */
export function isKindNotServed(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.message.startsWith("Unrecognized API version and kind")) return true;
  return isNotFound(err) && err.message.startsWith("Failed to fetch resource metadata");
}

/** A short, log- and status-friendly message: the API server's own message when it sent one. */
export function apiErrorMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === "string") {
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === "string") return `${err.code}: ${parsed.message}`;
      } catch {
        // Not JSON: fall through to the raw text.
      }
      return `${err.code}: ${body.slice(0, 300)}`;
    }
    if (
      typeof body === "object" &&
      body !== null &&
      typeof (body as { message?: unknown }).message === "string"
    ) {
      return `${err.code}: ${(body as { message: string }).message}`;
    }
    return `${err.code}: ${err.message.slice(0, 300)}`;
  }
  return err instanceof Error ? err.message : String(err);
}
