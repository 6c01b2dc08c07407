#!/usr/bin/env bash
# Builds the images of the local node without any registry or container engine, as
# docker-archive tarballs for `ctr -n k8s.io images import`:
#   runtime-php8.2.tar  sitepod.local/runtime:php8.2  Debian 12 (bookworm), PHP 8.2
#   runtime-php8.4.tar  sitepod.local/runtime:php8.4  Debian 13 (trixie), PHP 8.4
#   pause.tar           sitepod.local/pause:1         the pod sandbox (cluster/images/pause)
#   catalog.json        [{"phpVersion","image","debian"}] for the runtime images built
# Each image is cached under a hash of its inputs (this script, the packer, the package list and
# images/runtime/rootfs, or the pause sources) and built only when missing. The directory holding
# the set asked for is printed on stdout; progress goes to stderr, apt/debootstrap output to logs/.
#
#   SITEPOD_CACHE_DIR               cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sitepod)
#   SITEPOD_RUNTIME_SUITES          Debian suites to build runtime images for (default: "bookworm trixie")
#   SITEPOD_DEBIAN_MIRROR           Debian mirror (default: the one apt uses on this machine)
#   SITEPOD_DEBIAN_SECURITY_MIRROR  Debian security mirror (default: likewise, or derived from the mirror)
#
# Runtime images need root (debootstrap, chroot) and debootstrap, unshare, jq; pause needs Go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runtime_src="$repo/images/runtime"
suites="${SITEPOD_RUNTIME_SUITES-bookworm trixie}"

# Progress goes to the stderr we were started with (fd 8), also from a trap that fires while a
# step's output is redirected to its log file.
exec 8>&2
log() { echo "sitepod images: $*" >&8; }
fail() {
  log "$*"
  exit 1
}

# What a Debian suite gives: its version, its PHP, its small nginx build and WordPress's default theme.
suite_facts() {
  case "$1" in
    bookworm) debian=12 php=8.2 nginx=nginx-light wp_theme=wordpress-theme-twentytwentythree ;;
    trixie) debian=13 php=8.4 nginx=nginx wp_theme=wordpress-theme-twentytwentyfive ;;
    *) fail "unknown Debian suite \"$1\" in SITEPOD_RUNTIME_SUITES; known: bookworm (PHP 8.2), trixie (PHP 8.4)" ;;
  esac
}
for suite in $suites; do suite_facts "$suite"; done

need_tools() {
  local tool missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [[ ${#missing[@]} -eq 0 ]] || fail "missing tools: ${missing[*]} (Debian: apt-get install ${missing[*]})"
}
need_tools jq tar sha256sum flock findmnt
if [[ -n "${suites// /}" ]]; then
  [[ $EUID -eq 0 ]] || fail "building runtime images needs root (debootstrap and chroot); run as root, or set SITEPOD_RUNTIME_SUITES=\"\" to build only pause"
  need_tools debootstrap unshare chroot pgrep
fi

cache_root="${SITEPOD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitepod}"
images_dir="$cache_root/images"
mkdir -p "$images_dir/parts" "$images_dir/logs"

# One build at a time per cache: a second run waits, then finds the images built.
exec 9>"$images_dir/.lock"
if ! flock -n 9; then
  log "another build is using $images_dir; waiting for it"
  flock 9
fi

# Removes a build directory, never through a mount point left inside it (a chroot's /proc or a
# bind mount would otherwise take the host's files with it).
safe_rm() {
  local dir="$1" mounts
  [[ -e "$dir" ]] || return 0
  mounts="$(findmnt -rn -o TARGET | awk -v d="$dir" 'index($0, d "/") == 1 || $0 == d' | sort -r)"
  if [[ -n "$mounts" ]]; then
    log "unmounting what was left mounted in $dir"
    while read -r m; do umount -l "$m" || true; done <<<"$mounts"
    if findmnt -rn -o TARGET | awk -v d="$dir" 'index($0, d "/") == 1 { found = 1 } END { exit !found }'; then
      fail "$dir still has mounts inside; unmount them and remove it by hand"
    fi
  fi
  # A step killed a moment ago may still be writing while its processes die: try twice.
  rm -rf --one-file-system "$dir" 2>/dev/null || { sleep 1 && rm -rf --one-file-system "$dir"; }
}

tmp_dirs=()
cleanup() {
  local d
  for d in "${tmp_dirs[@]}"; do safe_rm "$d"; done
}
# A long step runs in the background (bash runs a trap only between commands, but at once during
# `wait`) as PID 1 of its own PID namespace: killing that process kills every process of the step.
# (unshare itself holds SIGTERM and SIGINT until its child ends, so the child is the one to kill.)
step_pid=""
long_step() {
  local rc=0
  unshare --mount --pid --fork --kill-child --propagation private -- "$@" &
  step_pid=$!
  wait "$step_pid" || rc=$?
  step_pid=""
  return "$rc"
}
on_signal() {
  if [[ -n "$step_pid" ]]; then
    pgrep -P "$step_pid" | xargs -r kill -KILL 2>/dev/null || true
    wait "$step_pid" 2>/dev/null || true
  fi
  log "interrupted; nothing was added to the cache"
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
# Sets tmp to a new build directory that is removed on exit (not in $(...): a subshell could not
# record it).
tmp=""
new_tmp() {
  tmp="$(mktemp -d "$images_dir/.tmp.$1.XXXXXX")"
  tmp_dirs+=("$tmp")
}
# Leftovers of an interrupted run (we hold the lock, so nobody else is using them).
for stale in "$images_dir"/.tmp.*; do
  [[ -e "$stale" ]] && safe_rm "$stale"
done

# Hash of files and directory trees (relative path, mode and content of every file or symlink),
# plus any extra words. 16 hex digits are plenty to tell versions apart.
inputs_hash() {
  local extra="$1" item
  shift
  {
    printf '%s\n' "$extra"
    for item in "$@"; do
      (cd "$repo" && find "$item" \( -type f -o -type l \) -print0 | LC_ALL=C sort -z |
        while IFS= read -r -d '' f; do
          if [[ -L "$f" ]]; then
            printf '%s link %s\n' "$f" "$(readlink "$f")"
          else
            printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(sha256sum <"$f" | cut -d' ' -f1)"
          fi
        done)
    done
  } | sha256sum | cut -c1-16
}

# The Debian mirrors apt already uses here (one-line and deb822 sources).
apt_uris() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }'
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }'
}
debian_mirror() {
  [[ -n "${SITEPOD_DEBIAN_MIRROR:-}" ]] && { echo "${SITEPOD_DEBIAN_MIRROR%/}"; return; }
  local uri
  uri="$(apt_uris | sed 's:/*$::' | grep -E '/debian$' | head -n1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}
debian_security_mirror() {
  [[ -n "${SITEPOD_DEBIAN_SECURITY_MIRROR:-}" ]] && { echo "${SITEPOD_DEBIAN_SECURITY_MIRROR%/}"; return; }
  local uri
  uri="$(apt_uris | sed 's:/*$::' | grep -E '/debian-security$' | head -n1 || true)"
  echo "${uri:-$(debian_mirror)-security}"
}

# Runs a command chrooted in $1 inside private mount and PID namespaces, with the suite's apt
# archive cache bind-mounted: every mount disappears with the namespace, even if this script is killed.
in_chroot() {
  local root="$1" archives="$2"
  shift 2
  # shellcheck disable=SC2016 # expanded by the inner shell
  long_step /bin/sh -c '
    set -e
    root="$1" archives="$2"
    shift 2
    mount --bind "$archives" "$root/var/cache/apt/archives"
    exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
      DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true chroot "$root" "$@"
  ' sh "$root" "$archives" "$@"
}

build_runtime() {
  local suite="$1" out="$2" log_file="$3"
  suite_facts "$suite"
  local mirror security work root debs archives attempt packages=()
  mirror="$(debian_mirror)"
  security="$(debian_security_mirror)"
  new_tmp "runtime-$suite"
  work="$tmp"
  root="$work/rootfs"
  debs="$images_dir/debs/$suite"
  archives="$debs/apt"
  mkdir -p "$debs/debootstrap" "$archives"
  : >"$log_file"

  for attempt in 1 2; do
    log "debootstrap $suite from $mirror (attempt $attempt; log: $log_file)"
    # Inside its own mount namespace: the /proc and /sys debootstrap mounts vanish with it.
    if long_step debootstrap --variant=minbase --components=main \
      --cache-dir="$debs/debootstrap" "$suite" "$root" "$mirror" >>"$log_file" 2>&1; then
      break
    fi
    tail -n 5 "$log_file" | sed 's/^/  | /' >&2
    [[ -f "$root/debootstrap/debootstrap.log" ]] && cat "$root/debootstrap/debootstrap.log" >>"$log_file"
    safe_rm "$root"
    [[ $attempt -eq 2 ]] && fail "debootstrap of $suite failed twice; see $log_file (a network or mirror problem is the usual cause; SITEPOD_DEBIAN_MIRROR picks another mirror)"
    log "debootstrap of $suite failed; retrying once"
  done

  log "installing nginx and PHP $php into the $suite root"
  # No service starts in a chroot; no docs, man pages or translations; no recommends.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  # The overlay's dpkg and apt settings must be in place before anything is installed.
  install -m 0644 "$runtime_src/rootfs/etc/dpkg/dpkg.cfg.d/01-sitepod-slim" "$root/etc/dpkg/dpkg.cfg.d/"
  install -m 0644 "$runtime_src/rootfs/etc/apt/apt.conf.d/01-sitepod" "$root/etc/apt/apt.conf.d/"
  cat >"$root/etc/apt/sources.list" <<LIST
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
LIST
  read -r -a packages <<<"$(sed -e 's/#.*//' -e "s/@PHP@/$php/g" -e "s/@NGINX@/$nginx/g" "$runtime_src/packages.txt" | xargs)"
  {
    # (Chained with &&: set -e does not apply inside a list that ends in ||.)
    in_chroot "$root" "$archives" apt-get update &&
      # debootstrap takes the release's packages; -updates and -security bring the fixes since.
      in_chroot "$root" "$archives" apt-get dist-upgrade -y &&
      in_chroot "$root" "$archives" apt-get install -y "${packages[@]}" &&
      # WordPress in a second step: nginx is already there to satisfy its "apache2 | httpd".
      in_chroot "$root" "$archives" apt-get install -y wordpress "$wp_theme"
  } >>"$log_file" 2>&1 || fail "installing packages into the $suite root failed; see $log_file"

  log "copying WordPress to /usr/src/wordpress and removing Debian's wordpress package"
  # Inside the chroot, so Debian's absolute symlinks (/usr/share/javascript, /var/lib/wordpress)
  # resolve to the image's own files.
  {
    # shellcheck disable=SC2016 # expanded by the shell in the chroot
    in_chroot "$root" "$archives" sh -ec '
      cp -rL /usr/share/wordpress /usr/src/wordpress
      # Debian reads its settings from /etc/wordpress/config-<host>.php; a site writes its own.
      rm -f /usr/src/wordpress/wp-config.php
      mkdir -p /usr/src/wordpress/wp-content/themes /usr/src/wordpress/wp-content/plugins
      apt-get purge -y wordpress "$1"
      # perl came with the MySQL client; Suggests from debconf and adduser must not keep it.
      apt-get -o APT::AutoRemove::SuggestsImportant=false -o APT::AutoRemove::RecommendsImportant=false \
        autoremove --purge -y
      apt-get autoclean
      rm -rf /etc/wordpress /var/lib/wordpress /usr/share/wordpress
    ' sh "$wp_theme"
  } >>"$log_file" 2>&1 || fail "copying WordPress in the $suite root failed; see $log_file"
  [[ -f "$root/usr/src/wordpress/wp-includes/version.php" && -d "$root/usr/src/wordpress/wp-content/themes/${wp_theme#wordpress-theme-}" ]] ||
    fail "the $suite root has no complete WordPress in /usr/src/wordpress (version.php and the default theme); see $log_file"

  local modules missing=() ext
  modules="$(in_chroot "$root" "$archives" php -m 2>>"$log_file")"
  for ext in mysqli pdo_mysql gd curl xml mbstring zip intl bcmath soap 'Zend OPcache' sodium; do
    grep -qx "$ext" <<<"$modules" || missing+=("$ext")
  done
  [[ ${#missing[@]} -eq 0 ]] || fail "PHP $php in the $suite root lacks the extensions: ${missing[*]}; see $log_file"
  [[ -x "$root/usr/sbin/nginx" && -x "$root/usr/sbin/php-fpm$php" ]] || fail "the $suite root lacks nginx or php-fpm$php"

  log "configuring the $suite root for uid 33 on a read-only root filesystem"
  tar -C "$runtime_src/rootfs" --create --owner=0 --group=0 --numeric-owner . |
    tar -C "$root" --extract --no-overwrite-dir --same-permissions
  ln -sfn "/usr/sbin/php-fpm$php" "$root/usr/local/bin/php-fpm"
  local sapi
  for sapi in fpm cli; do
    ln -sfn /etc/sitepod/php-defaults.ini "$root/etc/php/$php/$sapi/conf.d/90-sitepod-defaults.ini"
  done
  mkdir -p "$root/etc/sitepod/nginx" "$root/etc/sitepod/php-fpm.d" "$root/etc/sitepod/php" "$root/var/www/html"
  rm -rf "$root"/etc/nginx/sites-enabled/* "$root"/var/www/html/*
  chown 33:33 "$root/var/www/html"

  # Slim down: package lists and caches, docs of the debootstrap packages, logs, device nodes.
  rm -f "$root/usr/sbin/policy-rc.d"
  local r="${root:?}"
  rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/debconf/*-old \
    "$r"/var/lib/dpkg/*-old "$r"/var/log/* "$r"/tmp/* "$r"/var/tmp/* "$r"/root/.[!.]* \
    "${r:?}"/dev/* "${r:?}"/run/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/*
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  : >"$root/etc/resolv.conf"
  # nginx opens its compiled-in error log before reading its configuration: point it at stderr.
  mkdir -p "$root/var/log/nginx"
  ln -sfn /dev/stderr "$root/var/log/nginx/error.log"
  ln -sfn /dev/stdout "$root/var/log/nginx/access.log"

  local wp_version fragment
  wp_version="$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$root/usr/src/wordpress/wp-includes/version.php")"
  fragment="$(jq -c -n --arg php "$php" --arg debian "$debian" --arg suite "$suite" --arg wp "$wp_version" \
    --arg source "${SITEPOD_IMAGE_SOURCE:-}" '{
      User: "33:33",
      WorkingDir: "/var/www/html",
      Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PHP_INI_SCAN_DIR=:/etc/sitepod/php"],
      Labels: ({
        "org.opencontainers.image.title": "Sitepod runtime, PHP \($php)",
        "org.opencontainers.image.description": "nginx and php-fpm \($php) on Debian \($debian) (\($suite)), with WordPress \($wp) in /usr/src/wordpress",
        "org.opencontainers.image.vendor": "Sitepod",
        "org.opencontainers.image.version": "php\($php)",
        "io.sitepod.php-version": $php,
        "io.sitepod.debian-version": $debian,
        "io.sitepod.wordpress-version": $wp
      } + (if $source == "" then {} else {"org.opencontainers.image.source": $source} end))
    }')"
  log "packing sitepod.local/runtime:php$php ($(du -sh --one-file-system "$root" | cut -f1) unpacked)"
  "$here/pack-image.sh" "$root" "sitepod.local/runtime:php$php" "$work/image.tar" "$fragment"
  mv -f "$work/image.tar" "$out"
  safe_rm "$work"
}

build_pause() {
  local out="$1" work
  command -v go >/dev/null 2>&1 || fail "Go is not installed, so the pause image cannot be built; install Go 1.26 or newer (https://go.dev/dl/)"
  new_tmp pause
  work="$tmp"
  (cd "$here/pause" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
    go build -trimpath -ldflags "-s -w" -o "$work/pause" .)
  "$here/static-image.sh" "$work/pause" sitepod.local/pause:1 "$work/image.tar"
  mv -f "$work/image.tar" "$out"
  safe_rm "$work"
}

# Keeps the two newest versions of a part (two checkouts sharing the cache, e.g. a branch and
# main, then do not rebuild each other's images on every switch); older ones go.
prune_parts() {
  local name="$1" f
  find "$images_dir/parts" -maxdepth 1 -name "$name-*.tar" -printf '%T@ %p\n' | sort -rn | tail -n +3 |
    cut -d' ' -f2- | while IFS= read -r f; do rm -f "$f"; done
  return 0
}

start_all=$(date +%s)
declare -A parts=()
catalog='[]'

pause_key="$(inputs_hash "go $(go env GOVERSION 2>/dev/null || echo none)" \
  cluster/images/pause cluster/images/static-image.sh cluster/images/pack-image.sh)"
pause_part="$images_dir/parts/pause-$pause_key.tar"
if [[ ! -f "$pause_part" ]]; then
  log "building sitepod.local/pause:1"
  build_pause "$pause_part"
  prune_parts pause
fi
parts[pause.tar]="$pause_part"

for suite in $suites; do
  suite_facts "$suite"
  key="$(inputs_hash "suite $suite" cluster/images/build.sh cluster/images/pack-image.sh \
    images/runtime/packages.txt images/runtime/rootfs)"
  part="$images_dir/parts/runtime-php$php-$key.tar"
  if [[ ! -f "$part" ]]; then
    start=$(date +%s)
    log "building sitepod.local/runtime:php$php from Debian $debian ($suite); the first build takes a few minutes"
    build_runtime "$suite" "$part" "$images_dir/logs/runtime-$suite.log"
    prune_parts "runtime-php$php"
    log "built sitepod.local/runtime:php$php in $(($(date +%s) - start))s ($(du -h "$part" | cut -f1))"
  fi
  parts["runtime-php$php.tar"]="$part"
  catalog="$(jq -c --arg php "$php" --arg debian "$debian" \
    '. + [{phpVersion: $php, image: "sitepod.local/runtime:php\($php)", debian: $debian}]' <<<"$catalog")"
done

# The set asked for, under one directory named by its contents: hard links to the parts.
set_key="$({
  echo "suites $suites"
  for name in "${!parts[@]}"; do echo "$name ${parts[$name]##*/}"; done | LC_ALL=C sort
} | sha256sum | cut -c1-16)"
set_dir="$images_dir/set-$set_key"
if [[ ! -f "$set_dir/catalog.json" ]]; then
  new_tmp set
  set_tmp="$tmp"
  chmod 0755 "$set_tmp"
  for name in "${!parts[@]}"; do
    ln "${parts[$name]}" "$set_tmp/$name" 2>/dev/null || cp "${parts[$name]}" "$set_tmp/$name"
  done
  jq . <<<"$catalog" >"$set_tmp/catalog.json"
  safe_rm "$set_dir"
  mv "$set_tmp" "$set_dir"
fi
# Sets whose parts were pruned are stale.
for old in "$images_dir"/set-*; do
  [[ "$old" == "$set_dir" ]] && continue
  for f in "$old"/*.tar; do
    if [[ -e "$f" && "$(stat -c %h "$f")" -eq 1 ]]; then
      safe_rm "$old"
      break
    fi
  done
done

log "images ready in $set_dir ($(($(date +%s) - start_all))s)"
echo "$set_dir"
