import { checkReadiness } from "@/lib/health/check-readiness";

/** Readiness: the panel can reach its database. Public, and says nothing beyond up or down. */
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const result = await checkReadiness();
  return Response.json(result, {
    status: result.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
