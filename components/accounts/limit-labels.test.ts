import { describe, expect, it } from "vitest";
import { formatQuantity } from "@/components/accounts/limit-labels";

describe("formatQuantity", () => {
  it("shows CPU in vCPU, memory in GiB from 1 GiB up, storage in GiB and counts as they are", () => {
    expect(formatQuantity("cpuMillicores", 500)).toBe("0.5 vCPU");
    expect(formatQuantity("cpuMillicores", 120)).toBe("0.12 vCPU");
    expect(formatQuantity("cpuMillicores", 2000)).toBe("2 vCPU");
    expect(formatQuantity("cpuMillicores", 0)).toBe("0 vCPU");
    expect(formatQuantity("memoryMiB", 448)).toBe("448 MiB");
    expect(formatQuantity("memoryMiB", 1536)).toBe("1.5 GiB");
    expect(formatQuantity("memoryMiB", 1100)).toBe("1.07 GiB");
    expect(formatQuantity("storageGiB", 8)).toBe("8 GiB");
    expect(formatQuantity("maxSites", 3)).toBe("3");
  });
});
