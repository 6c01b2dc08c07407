import { describe, expect, it } from "vitest";
import { SITE_NAME_PATTERN, siteNameProblem } from "./site";

describe("siteNameProblem", () => {
  it("refuses a name starting with a digit, which Services and Deployments cannot take", () => {
    expect(siteNameProblem("1blog")).toBe("Start the name with a letter (e.g. blog1, not 1blog).");
  });

  it("accepts what the reconciler accepts, and only that", () => {
    for (const name of ["blog", "blog1", "my-blog", "a", "b".repeat(40)]) {
      expect([name, siteNameProblem(name)]).toEqual([name, null]);
      expect(SITE_NAME_PATTERN.test(name)).toBe(true);
    }
    for (const name of ["1blog", "-blog", "blog-", "my_blog", "b".repeat(41)]) {
      expect([name, siteNameProblem(name)]).toEqual([name, expect.any(String)]);
      expect(SITE_NAME_PATTERN.test(name)).toBe(false);
    }
  });
});
