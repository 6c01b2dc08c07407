import type { NextRequest } from "next/server";
import { logoResponse } from "@/lib/api/logo-response";
import { errorResponse } from "@/lib/api/with-actor";
import { AppError, toAppError } from "@/lib/errors";
import { findBrandLogoByHostname } from "@/lib/services/brand/find-brand-logo-by-hostname";

export const dynamic = "force-dynamic";

/**
 * The logo of the reseller whose own panel hostname the request came to (its Host header), for the
 * sign-in page there. Open to anyone, as that page is: it names no account and gives the logo only;
 * any other Host answers 404.
 */
export async function GET(req: NextRequest): Promise<Response> {
  try {
    const logo = await findBrandLogoByHostname(req.headers.get("host"));
    if (!logo) throw new AppError("NOT_FOUND", "No logo.");
    return logoResponse(req, logo, "public, max-age=300");
  } catch (err) {
    return errorResponse(toAppError(err, { route: "GET /api/v1/panel-brand/logo" }));
  }
}
