#!/usr/bin/env bash
# Checks runtime image tarballs without a cluster: the docker-archive structure and digests, then
# the image run the way a pod runs it: read-only root, tmpfs /tmp, a writable /var/www/html, the
# site's nginx vhost, php-fpm pool and php.ini mounted under /etc/sitepod, nginx and php-fpm as
# uid 33 in private mount, PID and network namespaces (nothing is left running, nothing listens
# on the host). Serves a PHP page and a static file and checks the answers.
#
#   smoke-test.sh [runtime-php<v>.tar ...]   (default: the images cluster/images/build.sh builds)
#
# Needs root (chroot, namespaces), curl, jq, unshare. Not part of `npm test`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "smoke-test: $*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}

# The part that runs inside the namespaces: $1 = extracted root filesystem, $2 = scratch dir.
inside() {
  local root="$1" scratch="$2"
  ip link set lo up

  # The root read-only, as a pod with readOnlyRootFilesystem sees it.
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  mount --bind "$scratch/html" "$root/var/www/html"
  # The site's ConfigMap files, as directory volumes.
  mount --bind "$scratch/nginx" "$root/etc/sitepod/nginx"
  mount --bind "$scratch/php-fpm.d" "$root/etc/sitepod/php-fpm.d"
  mount --bind "$scratch/php" "$root/etc/sitepod/php"

  # The image's environment (config Env), as the container runtime sets it.
  local run=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    PHP_INI_SCAN_DIR=:/etc/sitepod/php chroot --userspec=33:33 "$root")

  if touch "$root/.write-test" 2>/dev/null; then
    fail "the root filesystem is writable in the test; the read-only check would prove nothing"
  fi
  # The servers reopen /dev/stdout and /proc/self/fd/2 by path, which needs their stdio to belong
  # to uid 33: runc hands a container's stdio to its user (fixStdioPermissions); files owned by
  # uid 33 stand in for that here, and show what they logged.
  local logs="$scratch/logs"
  mkdir -p "$logs"
  touch "$logs/nginx-t" "$logs/php-fpm-t" "$logs/nginx" "$logs/php-fpm"
  chown 33:33 "$logs"/*
  show_logs() {
    local f
    for f in "$logs"/*; do [[ -s "$f" ]] && sed "s|^|  $(basename "$f"): |" "$f" >&2; done
    return 0
  }
  "${run[@]}" nginx -t -c /etc/nginx/nginx.conf >"$logs/nginx-t" 2>&1 || { show_logs; fail "nginx -t failed as uid 33"; }
  "${run[@]}" php-fpm -t -y /etc/sitepod/php-fpm.conf >"$logs/php-fpm-t" 2>&1 || { show_logs; fail "php-fpm -t failed as uid 33"; }

  local modules ext missing=()
  modules="$("${run[@]}" php -m)"
  for ext in mysqli pdo_mysql gd curl xml mbstring zip intl bcmath soap 'Zend OPcache' sodium; do
    grep -qx "$ext" <<<"$modules" || missing+=("$ext")
  done
  [[ ${#missing[@]} -eq 0 ]] || fail "php -m lacks: ${missing[*]}"
  log "php -m: $(grep -v '^\[' <<<"$modules" | grep . | sort -u | tr '\n' ' ')"
  [[ "$("${run[@]}" php -r 'echo ini_get("memory_limit");')" == 97M ]] ||
    fail "the CLI did not read /etc/sitepod/php/zz-sitepod.ini (PHP_INI_SCAN_DIR)"

  "${run[@]}" php-fpm -F -y /etc/sitepod/php-fpm.conf >"$logs/php-fpm" 2>&1 &
  "${run[@]}" nginx >"$logs/nginx" 2>&1 &
  local _
  for _ in $(seq 150); do
    # php-fpm first, so that nginx never answers 502 for it.
    (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null && curl -fsS -o /dev/null http://127.0.0.1:8080/static.txt 2>/dev/null && break
    sleep 0.1
  done
  local page
  page="$(curl -fsS http://127.0.0.1:8080/info.php)" || { show_logs; fail "GET /info.php failed"; }
  log "GET /info.php: $page"
  jq -e '.uid == 33 and .memory_limit == "97M" and .session_save_path == "/tmp" and .opcache and .mysqli and .gd' \
    >/dev/null <<<"$page" || fail "/info.php answered unexpectedly: $page"
  [[ "$(curl -fsS http://127.0.0.1:8080/static.txt)" == "static ok" ]] || fail "GET /static.txt failed"
  "${run[@]}" test -r /usr/src/wordpress/wp-includes/version.php || fail "uid 33 cannot read /usr/src/wordpress"
  "${run[@]}" test -d /usr/src/wordpress/wp-content/themes || fail "/usr/src/wordpress/wp-content/themes is missing"
  [[ ! -e "$root/usr/src/wordpress/wp-config.php" ]] || fail "/usr/src/wordpress/wp-config.php should not be in the image"
  grep -q '"GET /static.txt HTTP/1.1" 200' "$logs/nginx" || { show_logs; fail "nginx wrote no access log line to stdout"; }
  show_logs
  # Leaving kills nginx and php-fpm: they die with this PID namespace.
}

if [[ "${1:-}" == --inside ]]; then
  shift
  inside "$@"
  exit 0
fi

[[ $EUID -eq 0 ]] || fail "run as root (chroot and namespaces)"
for tool in curl jq unshare chroot sha256sum ip; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done

tars=("$@")
if [[ ${#tars[@]} -eq 0 ]]; then
  set_dir="$("$here/build.sh")"
  for t in "$set_dir"/runtime-php*.tar; do [[ -e "$t" ]] && tars+=("$t"); done
  [[ ${#tars[@]} -gt 0 ]] || fail "build.sh built no runtime image (SITEPOD_RUNTIME_SUITES is empty?)"
fi

work="$(mktemp -d)"
trap 'rm -rf --one-file-system "$work"' EXIT

for tar_file in "${tars[@]}"; do
  log "checking $tar_file"
  dir="$work/$(basename "$tar_file" .tar)"
  mkdir -p "$dir/archive" "$dir/root" "$dir/scratch/html" "$dir/scratch/nginx" "$dir/scratch/php-fpm.d" "$dir/scratch/php"
  tar -C "$dir/archive" -xf "$tar_file"
  manifest="$dir/archive/manifest.json"
  jq -e 'length == 1 and (.[0].RepoTags | length == 1) and (.[0].Layers | length == 1)' "$manifest" >/dev/null ||
    fail "manifest.json is not one image with one tag and one layer: $(cat "$manifest")"
  ref="$(jq -r '.[0].RepoTags[0]' "$manifest")"
  config="$dir/archive/$(jq -r '.[0].Config' "$manifest")"
  layer="$dir/archive/$(jq -r '.[0].Layers[0]' "$manifest")"
  [[ "sha256:$(sha256sum <"$config" | cut -d' ' -f1)" == "sha256:$(basename "$config")" ]] || fail "config digest mismatch"
  layer_digest="sha256:$(sha256sum <"$layer" | cut -d' ' -f1)"
  [[ "$layer_digest" == "sha256:$(basename "$layer")" ]] || fail "layer digest mismatch"
  jq -e --arg d "$layer_digest" '.rootfs.diff_ids == [$d] and .os == "linux" and .config.User == "33:33"
    and .config.WorkingDir == "/var/www/html" and (.config.Env | index("PHP_INI_SCAN_DIR=:/etc/sitepod/php"))
    and (.config.Labels["io.sitepod.php-version"] | type == "string")' "$config" >/dev/null ||
    fail "image config is not as the contract says: $(cat "$config")"
  php="$(jq -r '.config.Labels["io.sitepod.php-version"]' "$config")"
  [[ "$ref" == "sitepod.local/runtime:php$php" ]] || fail "tag $ref does not match the PHP version label $php"
  log "$ref: manifest, digests and config ok (PHP $php, $(du -h "$tar_file" | cut -f1))"

  tar -C "$dir/root" --numeric-owner -xf "$layer"
  rm -rf "${dir:?}/archive"
  s="$dir/scratch"
  cat >"$s/nginx/site.conf" <<'CONF'
server {
    listen 127.0.0.1:8080;
    root /var/www/html;
    index index.php;
    location ~ \.php$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        fastcgi_pass 127.0.0.1:9000;
    }
}
CONF
  cat >"$s/php-fpm.d/www.conf" <<'CONF'
[www]
listen = 127.0.0.1:9000
pm = static
pm.max_children = 2
catch_workers_output = yes
CONF
  printf 'memory_limit = 97M\n' >"$s/php/zz-sitepod.ini"
  cat >"$s/html/info.php" <<'PHP'
<?php
header('Content-Type: application/json');
echo json_encode([
    'php' => PHP_VERSION,
    'uid' => posix_getuid(),
    'memory_limit' => ini_get('memory_limit'),
    'session_save_path' => ini_get('session.save_path'),
    'opcache' => function_exists('opcache_get_status'),
    'mysqli' => extension_loaded('mysqli'),
    'gd' => extension_loaded('gd'),
]);
PHP
  printf 'static ok' >"$s/html/static.txt"
  chown -R 33:33 "$s/html"
  chmod 0644 "$s"/nginx/* "$s"/php-fpm.d/* "$s"/php/*

  unshare --mount --net --pid --fork --propagation private -- "$here/smoke-test.sh" --inside "$dir/root" "$s" ||
    fail "$ref did not run as a pod would run it (see above)"
  log "$ref: OK (PHP $php, nginx and php-fpm as uid 33 on a read-only root)"
  rm -rf --one-file-system "$dir"
done
log "all OK"
