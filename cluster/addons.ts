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

/** kwok's simulated nodes keep only workloads that tolerate them (scale benchmarks). */
export const KWOK_TOLERATION = {
  key: KWOK_TAINT.key,
  operator: "Equal",
  value: KWOK_TAINT.value,
  effect: KWOK_TAINT.effect,
} as const;
