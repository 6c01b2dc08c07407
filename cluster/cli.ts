/**
 * npm run cluster:up | cluster:down | cluster:status
 */
import { ClusterError, clusterStatus, downCluster, upCluster } from "./cluster";

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
    default:
      say("usage: tsx cluster/cli.ts up|down|status");
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
