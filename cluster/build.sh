#!/usr/bin/env bash
# Builds the local Kubernetes control plane from the Go module proxy into a cache
# outside the repository, keyed by version. Builds only what is missing.
#
#   SITEPOD_CACHE_DIR  cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sitepod)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
sitepod: Go is not installed, so the local Kubernetes control plane cannot be built.
  Install Go ${GO_MIN_VERSION} or newer (https://go.dev/dl/, or your distribution's golang package)
  and run this again. Or point Sitepod at an existing cluster instead:
    export KUBECONFIG=/path/to/kubeconfig
MSG
  exit 3
fi

cache_root="${SITEPOD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitepod}"
bin_dir="$cache_root/k8s-${KUBERNETES_VERSION}-kwok-${KWOK_VERSION}/bin"
mkdir -p "$bin_dir"

# A module's directory in the Go module cache, downloaded from the proxy when missing.
module_dir() {
  (cd "$here/k8s" && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}

cm_dir="$cache_root/cert-manager-${CERT_MANAGER_VERSION}"
crd_dir="$cm_dir/crds"
cm_kinds=(cert-manager.io_certificates cert-manager.io_certificaterequests cert-manager.io_issuers
  cert-manager.io_clusterissuers acme.cert-manager.io_orders acme.cert-manager.io_challenges)
if [[ ! -f "$crd_dir/acme.cert-manager.io_challenges.yaml" || ! -f "$crd_dir/cert-manager.io_certificates.yaml" ]]; then
  # The CRDs are plain files inside the cert-manager Go module; take them from there.
  echo "sitepod: fetching cert-manager ${CERT_MANAGER_VERSION} CRDs from the Go module proxy" >&2
  mod_dir="$(module_dir "github.com/cert-manager/cert-manager@${CERT_MANAGER_VERSION}")"
  rm -rf "$crd_dir.tmp" && mkdir -p "$crd_dir.tmp"
  for kind in "${cm_kinds[@]}"; do
    # Strip Helm templating lines if a release carries them.
    grep -v '^[[:space:]]*{{.*}}[[:space:]]*$' "$mod_dir/deploy/crds/${kind}.yaml" >"$crd_dir.tmp/${kind}.yaml"
  done
  rm -rf "$crd_dir" && mv "$crd_dir.tmp" "$crd_dir"
fi

# The Gateway API's standard channel: sites' HTTPRoutes need it whether their pods run on the real
# node or on kwok's (a cluster without it leaves every site Degraded, "no Gateway API CRDs").
gw_crd_dir="$cache_root/gateway-api-${GATEWAY_API_VERSION}/crds"
if [[ ! -f "$gw_crd_dir/gateway.networking.k8s.io_httproutes.yaml" ]]; then
  echo "sitepod: fetching Gateway API ${GATEWAY_API_VERSION} CRDs from the Go module proxy" >&2
  gw_dir="$(module_dir "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}")"
  rm -rf "$gw_crd_dir.tmp" && mkdir -p "$gw_crd_dir.tmp"
  cp "$gw_dir"/config/crd/standard/*.yaml "$gw_crd_dir.tmp/"
  chmod u+w "$gw_crd_dir.tmp"/*.yaml
  rm -rf "$gw_crd_dir" && mv "$gw_crd_dir.tmp" "$gw_crd_dir"
fi

# cert-manager's controllers, as one local process (cluster/cert-manager/main.go says why this
# wrapper module and not cert-manager's own cmd/controller, which the Go module proxy lacks).
cm_bin="$cm_dir/bin/cert-manager-controller"
cm_want="$(sed -n 's/^[[:space:]]*\(require \)\{0,1\}github.com\/cert-manager\/cert-manager \(v[^ ]*\)$/\2/p' "$here/cert-manager/go.mod")"
if [[ "$cm_want" != "$CERT_MANAGER_VERSION" ]]; then
  echo "sitepod: cluster/cert-manager/go.mod requires cert-manager ${cm_want:-?}, versions.env says ${CERT_MANAGER_VERSION}: make them agree" >&2
  exit 1
fi
if [[ ! -x "$cm_bin" ]]; then
  echo "sitepod: building the cert-manager ${CERT_MANAGER_VERSION} controller into $cm_dir/bin (about 10 minutes on 2 cores the first time)" >&2
  cm_start=$(date +%s)
  mkdir -p "$cm_dir/bin"
  cm_tmp="$(mktemp -d "$cm_dir/bin/.build.XXXXXX")"
  (cd "$here/cert-manager" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath \
    -ldflags "-s -w -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=${CERT_MANAGER_VERSION}" \
    -o "$cm_tmp/cert-manager-controller" .) || { rm -rf "$cm_tmp"; exit 1; }
  mv -f "$cm_tmp/cert-manager-controller" "$cm_bin"
  rm -rf "$cm_tmp"
  echo "sitepod: built the cert-manager controller in $(( $(date +%s) - cm_start ))s" >&2
fi

pebble_bin="$cache_root/pebble-${PEBBLE_VERSION}/bin/pebble"
if [[ ! -x "$pebble_bin" ]]; then
  echo "sitepod: building Pebble ${PEBBLE_VERSION} (the local ACME server)" >&2
  mkdir -p "$(dirname "$pebble_bin")"
  pebble_tmp="$(mktemp -d "$(dirname "$pebble_bin")/.build.XXXXXX")"
  CGO_ENABLED=0 GOFLAGS="-buildvcs=false" GOBIN="$pebble_tmp" go install -trimpath -ldflags "-s -w" \
    "github.com/letsencrypt/pebble/v2/cmd/pebble@${PEBBLE_VERSION}" || { rm -rf "$pebble_tmp"; exit 1; }
  mv -f "$pebble_tmp/pebble" "$pebble_bin"
  rm -rf "$pebble_tmp"
fi

need=()
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy kwok kwokctl; do
  [[ -x "$bin_dir/$b" ]] || need+=("$b")
done
if [[ ${#need[@]} -eq 0 ]]; then
  echo "$bin_dir"
  exit 0
fi

echo "sitepod: building ${need[*]} (Kubernetes ${KUBERNETES_VERSION}, kwok ${KWOK_VERSION}) into $bin_dir" >&2
echo "sitepod: the first build takes 5-10 minutes on 2 cores (about 1 GiB of Go modules); later runs reuse the cache" >&2
start=$(date +%s)

export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"

minor="${KUBERNETES_VERSION#v1.}"
minor="${minor%%.*}"
ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=${KUBERNETES_VERSION}"
  ldflags+=" -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor}"
  ldflags+=" -X $pkg.gitTreeState=clean"
  ldflags+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
ldflags+=" -s -w"

tmp_out="$(mktemp -d "$bin_dir/.build.XXXXXX")"
trap 'rm -rf "$tmp_out"' EXIT

k8s_pkgs=()
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
  [[ " ${need[*]} " == *" $b "* ]] && k8s_pkgs+=("k8s.io/kubernetes/cmd/$b")
done
if [[ ${#k8s_pkgs[@]} -gt 0 ]]; then
  (cd "$here/k8s" && go build -trimpath -ldflags "$ldflags" -o "$tmp_out/" "${k8s_pkgs[@]}")
fi
if [[ " ${need[*]} " == *" etcd "* ]]; then
  # The etcd server version that k8s.io/apiserver pins; its root package is etcd's main.
  (cd "$here/k8s" && go build -trimpath -ldflags "-s -w" -o "$tmp_out/etcd" go.etcd.io/etcd/server/v3)
fi
if [[ " ${need[*]} " == *" kwok "* || " ${need[*]} " == *" kwokctl "* ]]; then
  GOBIN="$tmp_out" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}" "sigs.k8s.io/kwok/cmd/kwokctl@${KWOK_VERSION}"
fi
for b in "${need[@]}"; do
  mv -f "$tmp_out/$b" "$bin_dir/$b"
done

echo "sitepod: built in $(( $(date +%s) - start ))s" >&2
echo "$bin_dir"
