/**
 * Helpers for integration tests that talk to the real cluster started by the global setup.
 */
import { randomBytes } from "node:crypto";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, inject } from "vitest";

/** The kubeconfig of the cluster the global setup started or reused. */
export function testKubeConfig(): KubeConfig {
  const file = inject("kubeconfig");
  if (!file) throw new Error("No test cluster: run the integration project (its global setup starts one).");
  process.env.KUBECONFIG = file;
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

async function waitForNamespaceGone(core: CoreV1Api, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await core.readNamespace({ name });
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`namespace ${name} still exists after ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Gives the calling test file its own namespace (created in beforeAll, deleted with everything
 * in it in afterAll). Read `.name` inside tests or hooks, not at collection time.
 */
export function useNamespace(prefix = "t"): { readonly name: string; readonly kc: KubeConfig } {
  let name = "";
  let kc: KubeConfig | undefined;
  beforeAll(async () => {
    kc = testKubeConfig();
    name = randomName(prefix);
    await kc.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name, labels: { "sitepod.io/test": "true" } } },
    });
  });
  afterAll(async () => {
    if (!kc || !name) return;
    const core = kc.makeApiClient(CoreV1Api);
    await core.deleteNamespace({ name }).catch(() => undefined);
    await waitForNamespaceGone(core, name, 60_000);
  });
  return {
    get name() {
      if (!name) throw new Error("useNamespace(): the namespace exists only inside tests and hooks");
      return name;
    },
    get kc() {
      if (!kc) throw new Error("useNamespace(): the kubeconfig is available only inside tests and hooks");
      return kc;
    },
  };
}
