/**
 * Vitest global setup for the integration-cluster lane: starts the local Kubernetes control plane or
 * reuses a running one, hands its kubeconfig to the test workers, and on teardown stops the
 * cluster only if this setup started it.
 *
 * SITEPOD_TEST_KUBECONFIG runs the suites against another (disposable!) cluster instead.
 * SITEPOD_SKIP_CLUSTER=1 skips the cluster for suites that only need MariaDB.
 */
import type { TestProject } from "vitest/node";
import { ensureCluster, localClusterEnv, readClusterFacts, stopCluster } from "../../cluster/cluster";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.SITEPOD_SKIP_CLUSTER === "1") return async () => {};
  const external = process.env.SITEPOD_TEST_KUBECONFIG;
  if (external) {
    process.env.KUBECONFIG = external;
    project.provide("kubeconfig", external);
    return async () => {};
  }
  const { kubeconfig, startedByUs } = await ensureCluster((line) =>
    process.stderr.write(`[cluster] ${line}\n`),
  );
  process.env.KUBECONFIG = kubeconfig;
  // The same settings `npm run up` passes to Sitepod for this cluster (database address for pods,
  // Gateway, platform hostnames).
  const facts = readClusterFacts();
  if (facts) Object.assign(process.env, localClusterEnv(facts));
  project.provide("kubeconfig", kubeconfig);
  return async () => {
    if (startedByUs) await stopCluster();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
  }
}
