/**
 * How the panel's web process (`next start`) is run, wherever it runs: `npm run up`
 * (scripts/up.mjs), the install manifests (deploy/web.yaml, checked against this by
 * scripts/web-process.test.ts) and the scale benchmark (bench/scale-http.ts). Plain Node, so that
 * `npm run up` can load it before an install.
 */

/**
 * The V8 heap bound of the web process, MB. Without one V8 sizes the heap from the machine's memory
 * and lets it grow long before collecting: under 50 concurrent callers at 10,000 sites the process
 * reached 612 MB of RSS for a live heap far smaller. With this bound it stays near 340 MB (target
 * under 400; bench/scale.bench.ts), at the same latency. Every page and list is paginated, so a
 * request's own allocations are small; a bound reached would show as a restart, not as slow pages.
 */
export const WEB_HEAP_MB = 192;

/**
 * NODE_OPTIONS for the web process: the operator's own options, with the heap bound added unless
 * they set one themselves.
 * @param {string | undefined} current
 * @returns {string}
 */
export function webNodeOptions(current) {
  const own = (current ?? "").trim();
  if (/(^|\s)--max-old-space-size[=\s]/.test(own)) return own;
  return [own, `--max-old-space-size=${WEB_HEAP_MB}`].filter(Boolean).join(" ");
}
