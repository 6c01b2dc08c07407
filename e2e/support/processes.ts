import { isAlive } from "../../cluster/cluster";

/**
 * Sends SIGTERM to the process group `pid` leads (`npm run up`, or a server it started in a group of
 * its own) and waits up to `graceMs` for its leader to exit, then SIGKILLs the group. Resolves once
 * the leader is gone, or at once if it already was.
 */
export async function stopProcessGroup(pid: number, graceMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  if (!isAlive(pid)) return;
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (isAlive(pid)) signal("SIGKILL");
}
