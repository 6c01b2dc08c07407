import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference/api-reference";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { openApiDocument } from "@/lib/api/openapi/document";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API reference · Your profile" };

/** The REST API's reference, rendered from the same document /api/v1/openapi.json serves. */
export default async function ApiReferencePage() {
  const actor = await requirePageActor();
  return (
    <ProfileFrame user={actor.user} active="api-reference">
      <ApiReference document={openApiDocument()} />
    </ProfileFrame>
  );
}
