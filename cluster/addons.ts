/**
 * What the local cluster runs on its real node besides sites: CoreDNS (Service names resolve in
 * pods) and Traefik as the Gateway API implementation, with the GatewayClass and the Gateway that
 * Sitepod's HTTPRoutes attach to. Images are built locally (cluster/images) and never pulled.
 */
import { DNS_SERVICE_IP, GATEWAY_SERVICE_IP, KWOK_TAINT, REAL_NODE_LABEL } from "./node";

export const GATEWAY_NAMESPACE = "sitepod-gateway";
export const GATEWAY_NAME = "sitepod";
export const GATEWAY_CLASS = "traefik";
/** The label Traefik's pods carry: tenant NetworkPolicies admit pods with it in GATEWAY_NAMESPACE. */
export const GATEWAY_POD_LABEL = { key: "app.kubernetes.io/name", value: "traefik" } as const;
/** Traefik's entry point; the Gateway's listener port must equal it. */
const GATEWAY_LISTENER_PORT = 8000;

const PART_OF = "app.kubernetes.io/part-of: sitepod-local-cluster";

/** Pod-level settings every local add-on shares: real node only, non-root, no privilege. */
const podBasics = `      nodeSelector:
        ${REAL_NODE_LABEL.key}: ${REAL_NODE_LABEL.value}
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        seccompProfile: {type: RuntimeDefault}`;

const containerBasics = `          imagePullPolicy: Never
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}`;

export function coreDnsManifests(image: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system, labels: {${PART_OF}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "sitepod:coredns", labels: {${PART_OF}}}
rules:
- apiGroups: [""]
  resources: [services, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "sitepod:coredns", labels: {${PART_OF}}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "sitepod:coredns"}
subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system, labels: {${PART_OF}}}
data:
  Corefile: |
    .:53 {
        errors
        health :8080
        ready :8181
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
        }
        forward . /etc/resolv.conf
        cache 30
        loop
        reload
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns, ${PART_OF}}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      serviceAccountName: coredns
      dnsPolicy: Default
      priorityClassName: system-cluster-critical
${podBasics}
        # Port 53 without NET_BIND_SERVICE.
        sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "0"}]
      containers:
        - name: coredns
          image: ${image}
          args: ["-conf", "/etc/coredns/Corefile"]
${containerBasics}
          ports:
            - {name: dns, containerPort: 53, protocol: UDP}
            - {name: dns-tcp, containerPort: 53, protocol: TCP}
          readinessProbe: {httpGet: {path: /ready, port: 8181}, periodSeconds: 2}
          livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 10, failureThreshold: 5}
          resources:
            requests: {cpu: 25m, memory: 32Mi}
            limits: {memory: 128Mi}
          volumeMounts: [{name: config, mountPath: /etc/coredns, readOnly: true}]
      volumes:
        - name: config
          configMap: {name: coredns}
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, ${PART_OF}}
spec:
  clusterIP: ${DNS_SERVICE_IP}
  selector: {k8s-app: kube-dns}
  ports:
    - {name: dns, port: 53, targetPort: 53, protocol: UDP}
    - {name: dns-tcp, port: 53, targetPort: 53, protocol: TCP}
`;
}

export function gatewayManifests(image: string): string {
  const sa = "traefik";
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${GATEWAY_NAMESPACE}
  labels:
    ${PART_OF}
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${sa}, namespace: ${GATEWAY_NAMESPACE}, labels: {${PART_OF}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "sitepod:traefik-gateway", labels: {${PART_OF}}}
rules:
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [services, secrets, configmaps]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
- apiGroups: [gateway.networking.k8s.io]
  resources: [gatewayclasses, gateways, httproutes, grpcroutes, referencegrants, backendtlspolicies]
  verbs: [get, list, watch]
- apiGroups: [gateway.networking.k8s.io]
  resources: [gatewayclasses/status, gateways/status, httproutes/status, grpcroutes/status, backendtlspolicies/status]
  verbs: [update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "sitepod:traefik-gateway", labels: {${PART_OF}}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "sitepod:traefik-gateway"}
subjects: [{kind: ServiceAccount, name: ${sa}, namespace: ${GATEWAY_NAMESPACE}}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: traefik
  namespace: ${GATEWAY_NAMESPACE}
  labels: {${GATEWAY_POD_LABEL.key}: ${GATEWAY_POD_LABEL.value}, ${PART_OF}}
spec:
  replicas: 1
  selector: {matchLabels: {${GATEWAY_POD_LABEL.key}: ${GATEWAY_POD_LABEL.value}}}
  template:
    metadata:
      labels: {${GATEWAY_POD_LABEL.key}: ${GATEWAY_POD_LABEL.value}}
    spec:
      serviceAccountName: ${sa}
${podBasics}
      containers:
        - name: traefik
          image: ${image}
          args:
            - --entryPoints.web.address=:${GATEWAY_LISTENER_PORT}
            - --entryPoints.traefik.address=:9000
            - --ping=true
            - --ping.entryPoint=traefik
            - --providers.kubernetesgateway=true
            - --providers.kubernetesgateway.statusAddress.service.name=traefik
            - --providers.kubernetesgateway.statusAddress.service.namespace=${GATEWAY_NAMESPACE}
            - --log.format=json
            - --log.level=INFO
            - --accesslog=true
            - --accesslog.format=json
            - --global.checkNewVersion=false
            - --global.sendAnonymousUsage=false
${containerBasics}
          ports:
            - {name: web, containerPort: ${GATEWAY_LISTENER_PORT}}
            - {name: admin, containerPort: 9000}
          readinessProbe: {httpGet: {path: /ping, port: 9000}, periodSeconds: 2}
          livenessProbe: {httpGet: {path: /ping, port: 9000}, periodSeconds: 10, failureThreshold: 5}
          resources:
            requests: {cpu: 25m, memory: 64Mi}
            limits: {memory: 256Mi}
          volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes:
        - name: tmp
          emptyDir: {sizeLimit: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: traefik
  namespace: ${GATEWAY_NAMESPACE}
  labels: {${PART_OF}}
spec:
  clusterIP: ${GATEWAY_SERVICE_IP}
  selector: {${GATEWAY_POD_LABEL.key}: ${GATEWAY_POD_LABEL.value}}
  ports:
    - {name: web, port: 80, targetPort: web}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: ${GATEWAY_CLASS}, labels: {${PART_OF}}}
spec:
  controllerName: traefik.io/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${GATEWAY_NAME}
  namespace: ${GATEWAY_NAMESPACE}
  labels: {${PART_OF}}
spec:
  gatewayClassName: ${GATEWAY_CLASS}
  listeners:
    - name: http
      protocol: HTTP
      port: ${GATEWAY_LISTENER_PORT}
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchLabels: {app.kubernetes.io/managed-by: sitepod}
`;
}

/** Where site volumes live on the real node (removed by `cluster:down`, like the rest of the cluster). */
export const LOCAL_VOLUMES_DIR = "/var/lib/sitepod-node/volumes";
export const LOCAL_PATH_NAMESPACE = "sitepod-local-path";

/**
 * Volumes on the real node: Rancher's local-path-provisioner makes a directory per claim (mode
 * 0777, so the pods' non-root users can write; hostPath volumes ignore fsGroup) with a helper pod
 * in the runtime image, and removes it when the claim goes. The default StorageClass `standard`.
 */
export function localPathManifests(image: string, helperImage: string): string {
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${LOCAL_PATH_NAMESPACE}, labels: {${PART_OF}}}
---
apiVersion: v1
kind: ServiceAccount
# The name the provisioner gives its helper pods (its --service-account-name default).
metadata: {name: local-path-provisioner-service-account, namespace: ${LOCAL_PATH_NAMESPACE}, labels: {${PART_OF}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: local-path-provisioner, namespace: ${LOCAL_PATH_NAMESPACE}, labels: {${PART_OF}}}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, patch, update, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: local-path-provisioner, namespace: ${LOCAL_PATH_NAMESPACE}, labels: {${PART_OF}}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: local-path-provisioner}
subjects: [{kind: ServiceAccount, name: local-path-provisioner-service-account, namespace: ${LOCAL_PATH_NAMESPACE}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "sitepod:local-path-provisioner", labels: {${PART_OF}}}
rules:
- apiGroups: [""]
  resources: [nodes, persistentvolumeclaims, configmaps, pods, pods/log]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [persistentvolumes]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [storage.k8s.io]
  resources: [storageclasses]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "sitepod:local-path-provisioner", labels: {${PART_OF}}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "sitepod:local-path-provisioner"}
subjects: [{kind: ServiceAccount, name: local-path-provisioner-service-account, namespace: ${LOCAL_PATH_NAMESPACE}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: local-path-config, namespace: ${LOCAL_PATH_NAMESPACE}, labels: {${PART_OF}}}
data:
  config.json: |-
    {"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", "paths": ["${LOCAL_VOLUMES_DIR}"]}]}
  setup: |-
    #!/bin/sh
    set -eu
    mkdir -m 0777 -p "$VOL_DIR"
  teardown: |-
    #!/bin/sh
    set -eu
    rm -rf "$VOL_DIR"
  helperPod.yaml: |-
    apiVersion: v1
    kind: Pod
    metadata:
      name: helper-pod
    spec:
      nodeSelector:
        ${REAL_NODE_LABEL.key}: ${REAL_NODE_LABEL.value}
      containers:
      - name: helper-pod
        image: ${helperImage}
        imagePullPolicy: Never
        securityContext:
          runAsUser: 0
          runAsGroup: 0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: local-path-provisioner
  namespace: ${LOCAL_PATH_NAMESPACE}
  labels: {app: local-path-provisioner, ${PART_OF}}
spec:
  replicas: 1
  selector: {matchLabels: {app: local-path-provisioner}}
  template:
    metadata:
      labels: {app: local-path-provisioner}
    spec:
      serviceAccountName: local-path-provisioner-service-account
${podBasics}
      containers:
        - name: local-path-provisioner
          image: ${image}
          command: ["/local-path-provisioner", "start", "--config", "/etc/config/config.json"]
${containerBasics}
          env:
            - name: POD_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            - {name: CONFIG_MOUNT_PATH, value: /etc/config/}
          resources:
            requests: {cpu: 10m, memory: 32Mi}
            limits: {memory: 128Mi}
          volumeMounts: [{name: config, mountPath: /etc/config/}]
      volumes:
        - name: config
          configMap: {name: local-path-config}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
  labels: {${PART_OF}}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
`;
}

/** kwok's simulated nodes keep only workloads that tolerate them (scale benchmarks). */
export const KWOK_TOLERATION = {
  key: KWOK_TAINT.key,
  operator: "Equal",
  value: KWOK_TAINT.value,
  effect: KWOK_TAINT.effect,
} as const;
