/**
 * The kubeconfig a person downloads from the panel ("Download kubeconfig" on the API tokens page):
 * the API server's address and CA, a fresh API token, and one context per account with the
 * account's namespace (lib/apiserver/objects.ts resolveNamespace: an account's namespace is its
 * short name). Pure: the caller mints the token and knows the endpoint.
 */
import { stringify } from "yaml";

export interface KubeconfigContext {
  /** The account's short name: its namespace on the API server. */
  namespace: string;
}

export interface KubeconfigOptions {
  /** The API server's https URL, as clients reach it. */
  server: string;
  /** The CA that signed its serving certificate (PEM); null when a publicly trusted one does. */
  caPem: string | null;
  /** The bearer token for the kubeconfig's user. */
  token: string;
  /** Names the user entry, e.g. after the token's id, so that merged kubeconfigs keep both. */
  userName: string;
  /** At least one; the first is the current context. */
  contexts: KubeconfigContext[];
}

/** The cluster entry's name; each context is `sitepod-<namespace>`. */
export const KUBECONFIG_CLUSTER_NAME = "sitepod";

export function kubeconfigContextName(namespace: string): string {
  return `${KUBECONFIG_CLUSTER_NAME}-${namespace}`;
}

/** A kubeconfig as YAML text (apiVersion v1, kind Config). */
export function buildKubeconfig(options: KubeconfigOptions): string {
  const [first] = options.contexts;
  if (!first) throw new Error("buildKubeconfig: a kubeconfig needs at least one context");
  const cluster: Record<string, string> = { server: options.server };
  if (options.caPem !== null) {
    cluster["certificate-authority-data"] = Buffer.from(options.caPem, "utf8").toString("base64");
  }
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: KUBECONFIG_CLUSTER_NAME, cluster }],
    users: [{ name: options.userName, user: { token: options.token } }],
    contexts: options.contexts.map((context) => ({
      name: kubeconfigContextName(context.namespace),
      context: { cluster: KUBECONFIG_CLUSTER_NAME, user: options.userName, namespace: context.namespace },
    })),
    "current-context": kubeconfigContextName(first.namespace),
    preferences: {},
  };
  return stringify(config, { lineWidth: 0 });
}
