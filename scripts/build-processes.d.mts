/** Types of scripts/build-processes.mjs (plain Node, run by `npm run up` and the image's build). */

export const PROCESS_ENTRIES: Record<"reconciler" | "apiserver", string>;
export function buildProcesses(outdir?: string): Promise<void>;
