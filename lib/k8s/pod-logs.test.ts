import { describe, expect, it } from "vitest";
import { dropPartialFirstLine } from "./pod-logs";

describe("dropPartialFirstLine", () => {
  it("keeps a log shorter than the byte limit whole", () => {
    expect(dropPartialFirstLine("a\nb\n", 100)).toBe("a\nb\n");
  });

  it("drops the first line of a log cut at the limit: it may be the tail of a secret", () => {
    expect(dropPartialFirstLine("rd=hunter2\nnext line\n", 20)).toBe("next line\n");
    expect(dropPartialFirstLine("one long line without end", 10)).toBe("");
  });
});
