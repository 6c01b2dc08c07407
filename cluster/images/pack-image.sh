#!/usr/bin/env bash
# Packs a root filesystem directory into a single-layer docker-archive tarball (manifest.json,
# image config, one uncompressed layer) that `ctr -n k8s.io images import` and `docker load`
# accept. No registry or container engine is involved.
#
#   pack-image.sh <rootfs-dir> <image-ref> <out.tar> [config-json-fragment]
#
# config-json-fragment: a JSON object merged (jq `*`, recursively) into the image config's
# "config" object, e.g. '{"User":"33:33","Env":["PATH=/usr/bin:/bin"],"Labels":{"a":"b"}}'.
#
#   SOURCE_DATE_EPOCH   file times are clamped to it and it is the image's creation time
#                       (default 0), so the same rootfs always packs to the same image.
#   SITEPOD_IMAGE_ARCH  image architecture (default: this machine's, in Go/OCI spelling).
#
# Owners are written numerically and entries sorted, so the tarball does not depend on this
# machine's user database or directory order. Must run as root for an exact copy of a rootfs
# whose files belong to several users.
set -euo pipefail

usage() {
  echo "usage: pack-image.sh <rootfs-dir> <image-ref> <out.tar> [config-json-fragment]" >&2
  exit 2
}
[[ $# -ge 3 && $# -le 4 ]] || usage
rootfs="$1"
ref="$2"
out="$3"
fragment="${4:-}"
[[ -n "$fragment" ]] || fragment='{}'

if [[ ! -d "$rootfs" ]]; then
  echo "pack-image: $rootfs is not a directory; pass the root filesystem to pack" >&2
  exit 2
fi
if [[ "$ref" != *:* || "$ref" == *" "* ]]; then
  echo "pack-image: image reference \"$ref\" needs a tag (name:tag), e.g. sitepod.local/pause:1" >&2
  exit 2
fi
for tool in jq tar sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "pack-image: $tool is not installed (Debian: apt-get install $tool)" >&2
    exit 3
  fi
done
if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"$fragment"; then
  echo "pack-image: the config fragment is not a JSON object: $fragment" >&2
  exit 2
fi

arch="${SITEPOD_IMAGE_ARCH:-}"
if [[ -z "$arch" ]]; then
  case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch="$(uname -m)" ;;
  esac
fi
epoch="${SOURCE_DATE_EPOCH:-0}"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"

out_dir="$(cd "$(dirname "$out")" && pwd)"
work="$(mktemp -d "$out_dir/.pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/archive/blobs/sha256"

# Entries without a leading "./", sorted bytewise, so the layer is the same on every machine.
(cd "$rootfs" && find . -mindepth 1 -printf '%P\0' | LC_ALL=C sort -z) >"$work/files"
tar -C "$rootfs" --create --file "$work/layer.tar" --format=gnu \
  --numeric-owner --no-recursion --null --files-from "$work/files" \
  --mtime="@$epoch" --clamp-mtime
layer_hex="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
mv "$work/layer.tar" "$work/archive/blobs/sha256/$layer_hex"

jq -c -n \
  --arg arch "$arch" --arg created "$created" --arg diff "sha256:$layer_hex" \
  --argjson fragment "$fragment" \
  '{
    architecture: $arch,
    os: "linux",
    created: $created,
    config: ({Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]} * $fragment),
    rootfs: {type: "layers", diff_ids: [$diff]},
    history: [{created: $created, created_by: "sitepod cluster/images/pack-image.sh"}]
  }' >"$work/config.json"
config_hex="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$work/archive/blobs/sha256/$config_hex"

jq -c -n --arg config "blobs/sha256/$config_hex" --arg layer "blobs/sha256/$layer_hex" --arg ref "$ref" \
  '[{Config: $config, RepoTags: [$ref], Layers: [$layer]}]' >"$work/archive/manifest.json"

tar -C "$work/archive" --create --file "$work/image.tar" --format=gnu \
  --numeric-owner --owner=0 --group=0 --mtime="@$epoch" --sort=name \
  manifest.json blobs
mv -f "$work/image.tar" "$out"
echo "pack-image: $ref -> $out ($(du -h "$out" | cut -f1), layer sha256:${layer_hex:0:12})" >&2
