/** Status fields every kind shares, for the OpenAPI document. */
import { z } from "zod";
import { conditionSchema } from "@/lib/views";

export const conditionsStatusSchema = z.object({
  observedGeneration: z
    .number()
    .int()
    .optional()
    .meta({ description: "The generation of the spec Sitepod last acted on." }),
  conditions: z.array(conditionSchema).optional().meta({
    description: "Ready, Progressing, Degraded (and DomainsRouted for sites), as Sitepod observed them.",
  }),
});
