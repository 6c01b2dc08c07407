/**
 * The error page: a database that does not answer is named as such (the digest survives production
 * builds, which withhold the message); any other error stays generic.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/db/unavailable";
import ErrorPage from "./error";

const render = (digest?: string) =>
  renderToStaticMarkup(
    <ErrorPage error={Object.assign(new Error("withheld"), digest ? { digest } : {})} reset={() => {}} />,
  );

describe("the error page", () => {
  it("says the database is not answering, to try again in a moment", () => {
    const html = render(DATABASE_UNAVAILABLE_DIGEST);
    expect(html).toContain("Sitepod&#x27;s database is not answering");
    expect(html).toContain("This usually passes in a moment");
  });

  it("stays generic for anything else, and shows no message of the error", () => {
    const html = render("2894710312");
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("withheld");
  });
});
