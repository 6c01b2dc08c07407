/** Types of scripts/web-process.mjs (plain Node, so that `npm run up` can run it before an install). */

export const WEB_HEAP_MB: number;
export function webNodeOptions(current: string | undefined): string;
