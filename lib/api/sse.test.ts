import { describe, expect, it } from "vitest";
import { formatSseEvent, resumeFrom } from "@/lib/api/sse";

describe("formatSseEvent", () => {
  it("writes id, event name and one line of JSON data, ended by a blank line", () => {
    const frame = formatSseEvent({ id: "42", event: "change", data: { kind: "Site", text: "a\nb", rv: 7n } });
    expect(frame).toBe('id: 42\nevent: change\ndata: {"kind":"Site","text":"a\\nb","rv":"7"}\n\n');
  });
});

describe("resumeFrom", () => {
  it("prefers Last-Event-ID over since", () => {
    expect(resumeFrom({ since: "3", lastEventId: "9" })).toBe(9n);
    expect(resumeFrom({ since: "3", lastEventId: null })).toBe(3n);
  });

  it("starts from now when nothing usable is given", () => {
    expect(resumeFrom({ since: null, lastEventId: null })).toBeNull();
    expect(resumeFrom({ since: "-1", lastEventId: null })).toBeNull();
    expect(resumeFrom({ since: "abc", lastEventId: "" })).toBeNull();
  });
});
