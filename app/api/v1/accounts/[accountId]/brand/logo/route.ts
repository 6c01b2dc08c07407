import { toJson } from "@/lib/api/json";
import { logoResponse } from "@/lib/api/logo-response";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { getBrandLogo } from "@/lib/services/brand/get-brand-logo";
import { removeBrandLogo } from "@/lib/services/brand/remove-brand-logo";
import { setBrandLogo } from "@/lib/services/brand/set-brand-logo";

export const dynamic = "force-dynamic";

/**
 * The logo of the brand this account's panel carries (a reseller's own), as an image. Its URL
 * carries the logo's version (?v=), so the browser may keep it; private: it is the account's.
 */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const logo = await getBrandLogo({ actor, accountId: params.accountId });
    return logoResponse(req, logo, "private, max-age=86400");
  },
  { name: "GET /api/v1/accounts/:accountId/brand/logo", params: accountParamsSchema },
);

/** { logo: base64 }: PNG, JPEG, WebP or SVG (no scripts), at most 256 KiB. */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    const brand = await setBrandLogo({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse({ brand: toJson(brand) });
  },
  { name: "PUT /api/v1/accounts/:accountId/brand/logo", params: accountParamsSchema },
);

export const DELETE = withActor(
  async ({ actor, params }) => {
    const brand = await removeBrandLogo({ actor, accountId: params.accountId });
    return jsonResponse({ brand: toJson(brand) });
  },
  { name: "DELETE /api/v1/accounts/:accountId/brand/logo", params: accountParamsSchema },
);
