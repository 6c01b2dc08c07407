import { type ApiServerEndpoint, apiServerEndpoint } from "@/lib/apiserver/endpoint";
import { buildKubeconfig } from "@/lib/apiserver/kubeconfig";
import { requireInteractive } from "@/lib/authz/interactive";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { mintKubeconfigToken } from "@/lib/services/api-token/mint-kubeconfig-token";

export interface CreatedKubeconfig {
  /** The kubeconfig YAML, with the token's secret: in this answer only. */
  kubeconfig: string;
  /** What to save it as, e.g. "sitepod-acme.kubeconfig". */
  filename: string;
  tokenId: string;
  role: Role;
  expiresAt: string | null;
}

const NOT_CONFIGURED =
  "This panel does not know where its Kubernetes-style API is (SITEPOD_APISERVER_URL is not set), so it cannot make a kubeconfig. Ask your provider to set it.";

/**
 * A kubeconfig for the caller on an account ("Download kubeconfig"): a fresh API token minted by
 * mintKubeconfigToken (the same rules, hash, audit line and listing as a named token; `input` is
 * { role?, expiresInDays? }), the API server's address and CA, and a context selecting the
 * account's namespace. Only a person signed in to the panel may: never another token.
 */
export async function createKubeconfig(options: {
  actor: Actor;
  accountId: string;
  input?: unknown;
  /** Default: from the environment (lib/apiserver/endpoint.ts). */
  endpoint?: ApiServerEndpoint | null;
  now?: Date;
}): Promise<CreatedKubeconfig> {
  const { actor, accountId } = options;
  requireInteractive(actor, "create API tokens");
  // Before minting: a token nobody can use would only clutter the list.
  const endpoint = options.endpoint === undefined ? apiServerEndpoint() : options.endpoint;
  if (!endpoint) throw new AppError("UNAVAILABLE", NOT_CONFIGURED);
  const minted = await mintKubeconfigToken({ actor, accountId, input: options.input, now: options.now });
  const kubeconfig = buildKubeconfig({
    server: endpoint.url,
    caPem: endpoint.caPem,
    token: minted.token,
    userName: `${minted.accountSlug}-${minted.tokenId}`,
    contexts: [{ namespace: minted.accountSlug }],
  });
  return {
    kubeconfig,
    filename: `sitepod-${minted.accountSlug}.kubeconfig`,
    tokenId: minted.tokenId,
    role: minted.role,
    expiresAt: minted.expiresAt,
  };
}
