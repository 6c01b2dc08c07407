import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { getBrand } from "@/lib/services/brand/get-brand";
import { removeBrand } from "@/lib/services/brand/remove-brand";
import { updateBrand } from "@/lib/services/brand/update-brand";

export const dynamic = "force-dynamic";

/** A reseller's white label ({ brand: null } while it has none). */
export const GET = withActor(
  async ({ actor, params }) => {
    const brand = await getBrand({ actor, accountId: params.accountId });
    return jsonResponse({ brand: brand ? toJson(brand) : null });
  },
  { name: "GET /api/v1/accounts/:accountId/brand", params: accountParamsSchema },
);

/** { name, primaryColor, hostname? }: sets the white label the accounts below the reseller see. */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    const brand = await updateBrand({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse({ brand: toJson(brand) });
  },
  { name: "PUT /api/v1/accounts/:accountId/brand", params: accountParamsSchema },
);

/** Removes the white label: the accounts below see Sitepod again. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    await removeBrand({ actor, accountId: params.accountId });
    return jsonResponse({ brand: null });
  },
  { name: "DELETE /api/v1/accounts/:accountId/brand", params: accountParamsSchema },
);
