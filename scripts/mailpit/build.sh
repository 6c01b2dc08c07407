#!/usr/bin/env bash
# Builds Mailpit (the local SMTP server `npm run up` and the tests send Sitepod's mail to) from the
# Go module proxy into a cache outside the repository, keyed by version, and prints the binary's
# path. Builds only when it is missing.
#
# The module holds the sources of Mailpit's mailbox UI but not the bundle its web page loads (the
# project builds it with npm before releasing); it is bundled here with esbuild from the npm
# registry. Without npm that step is skipped: SMTP and the HTTP API (all the tests use) work the
# same, only the mailbox page stays blank.
#
#   SITEPOD_CACHE_DIR  cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sitepod)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=version.env
source "$here/version.env"

cache_root="${SITEPOD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitepod}"
bin_dir="$cache_root/mailpit-${MAILPIT_VERSION}"
binary="$bin_dir/mailpit"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
sitepod: Go is not installed, so the local mail server (Mailpit) cannot be built.
  Install Go 1.26 or newer (https://go.dev/dl/, or your distribution's golang package) and run this
  again. Or send Sitepod's mail through an SMTP server of yours:
    export SITEPOD_SMTP_URL=smtp://user:password@mail.example.com:587
MSG
  exit 3
fi

echo "sitepod: building Mailpit ${MAILPIT_VERSION} into $bin_dir (2-4 minutes the first time)" >&2
start=$(date +%s)
mkdir -p "$bin_dir"
work="$(mktemp -d "$bin_dir/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
# The module's own source tree (read-only in the module cache), copied to build the UI bundle into.
mod_dir="$(cd "$work" && go mod download -json "github.com/axllent/mailpit@${MAILPIT_VERSION}" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
cp -R "$mod_dir" "$work/src"
chmod -R u+w "$work/src"

if command -v npm >/dev/null 2>&1 && (cd "$work/src" && node "$here/bundle-ui.mjs" >&2); then
  echo "sitepod: bundled the mailbox UI" >&2
else
  echo "sitepod: could not bundle Mailpit's mailbox UI; SMTP and the API work, the mailbox page stays blank" >&2
fi

(cd "$work/src" && go build -trimpath \
  -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=${MAILPIT_VERSION}" -o "$work/mailpit" .)
mv -f "$work/mailpit" "$binary"

echo "sitepod: built Mailpit in $(($(date +%s) - start))s" >&2
echo "$binary"
