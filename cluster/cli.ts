/**
 * npm run cluster:up | cluster:down | cluster:status
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  ClusterError,
  clearLeftovers,
  clusterStatus,
  downCluster,
  localClusterEnv,
  readClusterFacts,
  upCluster,
} from "./cluster";
import { diffFingerprints, hostFingerprint } from "./host-state";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case "up": {
      const { kubeconfig } = await upCluster(say);
      const status = await clusterStatus();
      say(`Local cluster running: Kubernetes ${status.serverVersion ?? "?"}, ${status.nodes.length} nodes.`);
      say(kubeconfig);
      return;
    }
    case "down":
      await downCluster(say);
      return;
    case "status": {
      const status = await clusterStatus();
      if (status.running) {
        const ready = status.nodes.filter((n) => n.ready).length;
        say(`running: Kubernetes ${status.serverVersion}, ${ready}/${status.nodes.length} nodes Ready`);
        say(`kubeconfig: ${status.kubeconfig}`);
      } else {
        say(status.exists ? "stopped (state kept; `npm run cluster:up` restarts it)" : "not running");
        process.exitCode = 1;
      }
      return;
    }
    case "facts": {
      // For scripts/up.mjs: the settings and runtime images of the running local cluster, as JSON.
      const facts = readClusterFacts();
      if (!facts) throw new ClusterError("the local cluster is not running (npm run cluster:up)", 1);
      process.stdout.write(`${JSON.stringify({ env: localClusterEnv(facts), runtimes: facts.runtimes })}\n`);
      return;
    }
    case "clear-leftovers":
      // Before host-snapshot: a node killed without `down` is not the machine's own state.
      await clearLeftovers(say);
      return;
    case "host-snapshot": {
      // Before `up`: what the machine looks like, for host-compare after `down`.
      const file = process.argv[3];
      if (!file) throw new ClusterError("usage: tsx cluster/cli.ts host-snapshot <file>", 2);
      writeFileSync(file, JSON.stringify(hostFingerprint()));
      return;
    }
    case "host-compare": {
      const file = process.argv[3];
      if (!file) throw new ClusterError("usage: tsx cluster/cli.ts host-compare <file>", 2);
      const diffs = diffFingerprints(JSON.parse(readFileSync(file, "utf8")), hostFingerprint());
      if (diffs.length > 0) {
        say("The machine is not as it was before the local cluster started:");
        for (const d of diffs) say(`  ${d}`);
        process.exitCode = 1;
      } else {
        say("The machine is back as it was before the local cluster started.");
      }
      return;
    }
    default:
      say(
        "usage: tsx cluster/cli.ts up|down|status|clear-leftovers|host-snapshot <file>|host-compare <file>",
      );
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((err: unknown) => {
  if (err instanceof ClusterError) {
    process.stderr.write(`sitepod: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`sitepod: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
});
