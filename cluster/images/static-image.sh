#!/usr/bin/env bash
# Packs one static binary into a minimal image: the binary at /<name>, an /etc/passwd and
# /etc/group with root and nobody, and an empty /tmp. Nothing else (no shell, no CA certificates).
#
#   static-image.sh <binary> <image-ref> <out.tar> [entrypoint args...]
#
# The entrypoint is ["/<name>", args...]. The image runs as nobody (65534:65534) unless
# SITEPOD_IMAGE_USER says otherwise ("0:0" for root); a pod's securityContext can override it too.
# SOURCE_DATE_EPOCH and SITEPOD_IMAGE_ARCH are passed on to pack-image.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -lt 3 ]]; then
  echo "usage: static-image.sh <binary> <image-ref> <out.tar> [entrypoint args...]" >&2
  exit 2
fi
binary="$1"
ref="$2"
out="$3"
shift 3

if [[ ! -f "$binary" || ! -x "$binary" ]]; then
  echo "static-image: $binary is not an executable file" >&2
  exit 2
fi
# A dynamically linked binary would fail at container start with a bare "no such file or
# directory" (its loader is missing); refuse it here instead.
if command -v file >/dev/null 2>&1 && file -L "$binary" | grep -q 'dynamically linked'; then
  echo "static-image: $binary is dynamically linked; build it with CGO_ENABLED=0" >&2
  exit 2
fi

name="$(basename "$binary")"
out_dir="$(cd "$(dirname "$out")" && pwd)"
work="$(mktemp -d "$out_dir/.static.XXXXXX")"
trap 'rm -rf "$work"' EXIT

root="$work/rootfs"
mkdir -p "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"
install -m 0755 "$binary" "$root/$name"
printf '%s\n' 'root:x:0:0:root:/:/sbin/nologin' 'nobody:x:65534:65534:nobody:/:/sbin/nologin' >"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
chmod 0644 "$root/etc/passwd" "$root/etc/group"

entrypoint="$(jq -c -n --arg bin "/$name" '[$bin] + $ARGS.positional' --args "$@")"
fragment="$(jq -c -n --argjson entrypoint "$entrypoint" --arg user "${SITEPOD_IMAGE_USER:-65534:65534}" \
  '{Entrypoint: $entrypoint, User: $user, Env: ["PATH=/"]}')"

"$here/pack-image.sh" "$root" "$ref" "$out" "$fragment"
