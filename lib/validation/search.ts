/** The operator's search (lib/services/platform/search-platform.ts): the page, the REST route. */
import { z } from "zod";

export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_MAX_LENGTH = 100;
/** Results shown per kind (accounts, users, sites, domains); "more" says there are others. */
export const SEARCH_LIMIT_PER_KIND = 20;

export const searchSchema = z.object({
  q: z
    .string({ error: "Type what to search for." })
    .trim()
    .min(SEARCH_MIN_LENGTH, { error: `Type at least ${SEARCH_MIN_LENGTH} characters.` })
    .max(SEARCH_MAX_LENGTH, { error: `Use at most ${SEARCH_MAX_LENGTH} characters.` }),
});

export type SearchInput = z.output<typeof searchSchema>;
