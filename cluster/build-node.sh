#!/usr/bin/env bash
# Builds what the local cluster's real node runs, from the Go module proxy, into a cache outside
# the repository keyed by version: containerd (+ shim, ctr), the CNI plugins, CoreDNS, kube-router
# (NetworkPolicy), local-path-provisioner (volumes) and Traefik (Gateway API; build.sh fetches its CRDs). runc, iptables and
# ipset come from Debian. Builds only what is missing; prints the node cache directory.
#
#   SITEPOD_CACHE_DIR  cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sitepod)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache_root="${SITEPOD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitepod}"
node_dir="$cache_root/node-containerd-${CONTAINERD_VERSION}-cni-${CNI_PLUGINS_VERSION}-coredns-${COREDNS_VERSION}-kuberouter-${KUBE_ROUTER_VERSION}-traefik-${TRAEFIK_VERSION}"
bin_dir="$node_dir/bin"
cni_dir="$node_dir/cni"
mkdir -p "$bin_dir" "$cni_dir"

export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false"

module_dir() {
  (cd "$here/k8s" && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}

tmp_out="$(mktemp -d "$node_dir/.build.XXXXXX")"
trap 'chmod -R u+w "$tmp_out" 2>/dev/null; rm -rf "$tmp_out"' EXIT
start=$(date +%s)
built=()

install_into() { # <dest> <pkg@version>...
  local dest="$1"
  shift
  GOBIN="$dest" go install -trimpath -ldflags "-s -w" "$@"
}

if [[ ! -x "$bin_dir/containerd" || ! -x "$bin_dir/containerd-shim-runc-v2" || ! -x "$bin_dir/ctr" ]]; then
  echo "sitepod: building containerd ${CONTAINERD_VERSION}" >&2
  ld="-s -w -X github.com/containerd/containerd/v2/version.Version=${CONTAINERD_VERSION}"
  GOBIN="$tmp_out" go install -trimpath -tags "no_btrfs no_devmapper no_zfs no_aufs" -ldflags "$ld" \
    "github.com/containerd/containerd/v2/cmd/containerd@${CONTAINERD_VERSION}" \
    "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@${CONTAINERD_VERSION}" \
    "github.com/containerd/containerd/v2/cmd/ctr@${CONTAINERD_VERSION}"
  mv -f "$tmp_out"/containerd "$tmp_out"/containerd-shim-runc-v2 "$tmp_out"/ctr "$bin_dir/"
  built+=(containerd)
fi

if [[ ! -x "$cni_dir/bridge" || ! -x "$cni_dir/host-local" || ! -x "$cni_dir/loopback" || ! -x "$cni_dir/portmap" ]]; then
  echo "sitepod: building the CNI plugins ${CNI_PLUGINS_VERSION}" >&2
  p="github.com/containernetworking/plugins/plugins"
  install_into "$tmp_out" "$p/main/bridge@${CNI_PLUGINS_VERSION}" "$p/main/loopback@${CNI_PLUGINS_VERSION}" \
    "$p/ipam/host-local@${CNI_PLUGINS_VERSION}" "$p/meta/portmap@${CNI_PLUGINS_VERSION}"
  mv -f "$tmp_out"/bridge "$tmp_out"/loopback "$tmp_out"/host-local "$tmp_out"/portmap "$cni_dir/"
  built+=(cni)
fi

if [[ ! -x "$bin_dir/coredns" ]]; then
  echo "sitepod: building CoreDNS ${COREDNS_VERSION}" >&2
  install_into "$tmp_out" "github.com/coredns/coredns@${COREDNS_VERSION}"
  mv -f "$tmp_out/coredns" "$bin_dir/"
  built+=(coredns)
fi

if [[ ! -x "$bin_dir/kube-router" ]]; then
  echo "sitepod: building kube-router ${KUBE_ROUTER_VERSION} (NetworkPolicy only)" >&2
  install_into "$tmp_out" "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@${KUBE_ROUTER_VERSION}"
  mv -f "$tmp_out/kube-router" "$bin_dir/"
  built+=(kube-router)
fi

if [[ ! -x "$bin_dir/local-path-provisioner" ]]; then
  echo "sitepod: building local-path-provisioner ${LOCAL_PATH_PROVISIONER_VERSION}" >&2
  install_into "$tmp_out" "github.com/rancher/local-path-provisioner@${LOCAL_PATH_PROVISIONER_VERSION}"
  mv -f "$tmp_out/local-path-provisioner" "$bin_dir/"
  built+=(local-path-provisioner)
fi

if [[ ! -x "$bin_dir/traefik" ]]; then
  # Traefik's go.mod replaces modules (one with a local path), so `go install pkg@v` refuses it:
  # build inside a copy of the module, which carries its own go.mod and go.sum.
  echo "sitepod: building Traefik ${TRAEFIK_VERSION} (Gateway API)" >&2
  src="$(module_dir "github.com/traefik/traefik/v3@${TRAEFIK_VERSION}")"
  cp -r "$src" "$tmp_out/traefik-src"
  chmod -R u+w "$tmp_out/traefik-src"
  # The dashboard's assets are built by yarn upstream and are not in the module: embed a stub.
  if [[ ! -d "$tmp_out/traefik-src/webui/static" ]]; then
    mkdir -p "$tmp_out/traefik-src/webui/static"
    echo '<!doctype html><title>Traefik</title><p>Dashboard not built.</p>' >"$tmp_out/traefik-src/webui/static/index.html"
  fi
  (cd "$tmp_out/traefik-src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath \
    -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION}" \
    -o "$tmp_out/traefik" ./cmd/traefik)
  mv -f "$tmp_out/traefik" "$bin_dir/"
  built+=(traefik)
fi

if [[ ${#built[@]} -gt 0 ]]; then
  echo "sitepod: built ${built[*]} in $(($(date +%s) - start))s" >&2
fi
echo "$node_dir"
