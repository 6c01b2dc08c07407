/**
 * Liveness: the process serves requests. Deliberately independent of the database, so that a
 * database outage makes pods unready (ready route) instead of restarting them all.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
