import { describe, expect, it } from "vitest";
import { CLIENT_SITES_PAGE_SIZE, listClientSitesSchema } from "./client-sites";

describe("listClientSitesSchema", () => {
  it("keeps valid values", () => {
    expect(
      listClientSitesSchema.parse({
        status: "RUNNING",
        q: "shop",
        sort: "client",
        dir: "desc",
        page: "3",
        pageSize: "5",
      }),
    ).toEqual({ status: "RUNNING", q: "shop", sort: "client", dir: "desc", page: 3, pageSize: 5 });
  });

  it("falls back to the defaults for values a hand-edited URL may carry", () => {
    expect(
      listClientSitesSchema.parse({ status: "ON_FIRE", sort: "x", dir: "up", page: "-2", pageSize: "abc" }),
    ).toEqual({ status: undefined, sort: "name", dir: "asc", page: 1, pageSize: CLIENT_SITES_PAGE_SIZE });
    expect(listClientSitesSchema.parse({ page: "1.5" }).page).toBe(1);
  });
});
