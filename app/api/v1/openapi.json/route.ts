import { openApiDocument } from "@/lib/api/openapi/document";
import { errorResponse } from "@/lib/api/with-actor";
import { toAppError } from "@/lib/errors";

/**
 * The OpenAPI 3.1 document of this API. Open to anyone, like the source it is built from: it
 * describes the routes and their input, never an account or its data, and tools (client
 * generators, editors) fetch it without credentials.
 */
export function GET(): Response {
  try {
    return new Response(JSON.stringify(openApiDocument()), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "public, max-age=300",
      },
    });
  } catch (err) {
    return errorResponse(toAppError(err, { route: "GET /api/v1/openapi.json" }));
  }
}
