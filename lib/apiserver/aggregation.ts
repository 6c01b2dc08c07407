/**
 * Registration into a cluster as an aggregated API (deploy/aggregation.yaml): where the front
 * proxy's settings come from and how the cluster is asked to authorize. Off unless configured:
 *
 * - SITEPOD_APISERVER_REQUESTHEADER_CA_FILE (and the other SITEPOD_APISERVER_REQUESTHEADER_*
 *   variables, ./front-proxy.ts): the settings from the environment; or
 * - SITEPOD_APISERVER_REQUESTHEADER_FROM_CLUSTER=true: read them from the cluster's
 *   kube-system/extension-apiserver-authentication ConfigMap at start, as real aggregated API
 *   servers do (a new front-proxy CA then needs a restart).
 *
 * The cluster is reached through KUBECONFIG, the local cluster's kubeconfig, or the pod's
 * ServiceAccount (lib/k8s/client.ts); it needs `create` on subjectaccessreviews (and `get` on that
 * ConfigMap for the second way).
 */
import { readFileSync } from "node:fs";
import {
  AuthorizationV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1SubjectAccessReview,
} from "@kubernetes/client-node";
import { loadKubeConfig } from "@/lib/k8s/client";
import {
  EXTENSION_APISERVER_AUTHENTICATION,
  type RequestHeaderConfig,
  requestHeaderConfigFromConfigMap,
  requestHeaderConfigFromEnv,
} from "./front-proxy";
import type { FrontProxyOptions } from "./server";
import { type ReviewFn, SubjectAccessReviewer } from "./subject-access-review";

type Env = Record<string, string | undefined>;

/** SubjectAccessReviews through the cluster's API. */
export function clusterReview(kc: KubeConfig): ReviewFn {
  const api = kc.makeApiClient(AuthorizationV1Api);
  return async (body) => {
    const review = await api.createSubjectAccessReview({ body: body as V1SubjectAccessReview });
    const status = review.status;
    return { allowed: status?.allowed === true && status.denied !== true, reason: status?.reason ?? "" };
  };
}

export async function readRequestHeaderConfigMap(kc: KubeConfig): Promise<RequestHeaderConfig | null> {
  const configMap = await kc
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap(EXTENSION_APISERVER_AUTHENTICATION);
  return requestHeaderConfigFromConfigMap(configMap.data);
}

function truthy(value: string | undefined): boolean {
  return ["1", "true", "yes"].includes((value ?? "").trim().toLowerCase());
}

/** The front-proxy options the environment asks for, or null (a standalone server). */
export async function frontProxyFromEnv(env: Env = process.env): Promise<FrontProxyOptions | null> {
  const fromEnv = requestHeaderConfigFromEnv(env, (file) => readFileSync(file, "utf8"));
  const fromCluster = truthy(env.SITEPOD_APISERVER_REQUESTHEADER_FROM_CLUSTER);
  if (!fromEnv && !fromCluster) return null;
  const kc = loadKubeConfig();
  const config = fromEnv ?? (await readRequestHeaderConfigMap(kc));
  if (!config) {
    throw new Error(
      `${EXTENSION_APISERVER_AUTHENTICATION.namespace}/${EXTENSION_APISERVER_AUTHENTICATION.name} has no requestheader-client-ca-file: the cluster's kube-apiserver runs without --requestheader-client-ca-file, so it has no front proxy to trust`,
    );
  }
  return { config, reviewer: new SubjectAccessReviewer({ review: clusterReview(kc) }) };
}
