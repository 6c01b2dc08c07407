import { type SiteManifestSpec, siteHostnames } from "./types";

/** Where php-fpm listens inside the pod; nginx reaches it over the pod's loopback. */
export const PHP_FPM_PORT = 9000;
export const NGINX_PORT = 8080;
export const DOCUMENT_ROOT = "/var/www/html";

/**
 * Paths inside Sitepod's runtime image (images/runtime): its nginx.conf includes
 * /etc/sitepod/nginx/*.conf inside http{}, its php-fpm.conf includes /etc/sitepod/php-fpm.d/*.conf,
 * and PHP_INI_SCAN_DIR ends with /etc/sitepod/php. The site's ConfigMap is mounted at these files.
 */
export const RUNTIME_PATHS = {
  nginxSite: "/etc/sitepod/nginx/site.conf",
  fpmConfig: "/etc/sitepod/php-fpm.conf",
  fpmPool: "/etc/sitepod/php-fpm.d/www.conf",
  phpIni: "/etc/sitepod/php/zz-sitepod.ini",
  /** Answers 200 "ok" through php-fpm without touching the database (images/runtime/rootfs). */
  readyScript: "/usr/local/share/sitepod/ready.php",
  wordpressInstall: "/usr/local/bin/sitepod-wp-install",
} as const;

/** The readiness probe's path: nginx hands it to php-fpm, so a pass proves both answer. */
export const READY_PATH = "/-/sitepod/ready";
/** The liveness probe's path: answered by nginx alone, so a slow PHP never gets nginx restarted. */
export const HEALTH_PATH = "/healthz";

/**
 * nginx vhost for a PHP front controller (WordPress or plain PHP). nginx and php-fpm mount the
 * same volume at the same path, so SCRIPT_FILENAME resolves identically in both containers.
 * Included inside http{} by the image's nginx.conf (one site per pod, so the map's name is free).
 */
export function renderNginxVhost(spec: SiteManifestSpec): string {
  const hosts = siteHostnames(spec);
  return `# The gateway terminates TLS and says so in X-Forwarded-Proto; PHP sees it as HTTPS=on.
map $http_x_forwarded_proto $sitepod_https {
    default "";
    https on;
}

server {
    listen ${NGINX_PORT} default_server;
    server_name ${hosts.join(" ")};
    root ${DOCUMENT_ROOT};
    index index.php index.html;
    client_max_body_size ${spec.php.postMaxSize};

    # Liveness: answered by nginx itself, so a slow PHP or database never restarts nginx.
    location = ${HEALTH_PATH} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }

    # Readiness: a fixed script of the image, through php-fpm (no database), so a pod is Ready
    # only when nginx and PHP both answer. Harmless if reached from outside.
    location = ${READY_PATH} {
        access_log off;
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME ${RUNTIME_PATHS.readyScript};
        fastcgi_param SCRIPT_NAME ${READY_PATH};
        fastcgi_param HTTP_PROXY "";
        fastcgi_pass 127.0.0.1:${PHP_FPM_PORT};
    }

    location ~ /\\.(?!well-known) {
        deny all;
    }

    location / {
        try_files $uri $uri/ /index.php?$args;
    }

    location ~ \\.php$ {
        try_files $uri =404;
        fastcgi_split_path_info ^(.+\\.php)(/.+)$;
        fastcgi_pass 127.0.0.1:${PHP_FPM_PORT};
        fastcgi_index index.php;
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        fastcgi_param PATH_INFO $fastcgi_path_info;
        fastcgi_param HTTPS $sitepod_https if_not_empty;
        # Debian's fastcgi_params sends $host, which drops the port: links on a gateway with a
        # port of its own (a local cluster) need it. The last value of a parameter wins.
        fastcgi_param HTTP_HOST $http_host;
        # httpoxy: a request's Proxy header must not become PHP's HTTP_PROXY.
        fastcgi_param HTTP_PROXY "";
    }
}
`;
}

/** Read by php-fpm and by the php CLI (install Job, WordPress cron) through PHP_INI_SCAN_DIR. */
export function renderPhpIni(spec: SiteManifestSpec): string {
  const php = spec.php;
  const onOff = (on: boolean) => (on ? "On" : "Off");
  // Every value was validated (lib/validation/site-settings.ts): sizes, integers and an IANA zone,
  // none of which can carry a quote or a newline into the file.
  return `memory_limit = ${php.memoryLimit}
upload_max_filesize = ${php.uploadMaxFilesize}
post_max_size = ${php.postMaxSize}
max_execution_time = ${php.maxExecutionTime}
max_input_vars = ${php.maxInputVars}
date.timezone = "${php.timezone}"
expose_php = Off
display_errors = ${onOff(php.displayErrors)}
display_startup_errors = ${onOff(php.displayErrors)}
log_errors = On
error_log = /proc/self/fd/2
upload_tmp_dir = /tmp
session.save_path = /tmp
sys_temp_dir = /tmp
opcache.enable = ${php.opcache ? 1 : 0}
opcache.enable_cli = 0
opcache.memory_consumption = 64
`;
}

/**
 * The site's pool, included by the image's php-fpm.conf. php-fpm runs as uid 33 already, so the
 * pool names no user (a non-root master ignores it, with a warning). Environment variables reach
 * the workers (clear_env = no): wp-config.php reads the database settings and salts from them.
 */
export function renderFpmPool(spec: SiteManifestSpec): string {
  return `[www]
listen = 127.0.0.1:${PHP_FPM_PORT}
pm = dynamic
pm.max_children = ${spec.php.maxChildren}
pm.start_servers = 1
pm.min_spare_servers = 1
pm.max_spare_servers = ${Math.max(1, Math.min(3, spec.php.maxChildren))}
pm.max_requests = 500
clear_env = no
catch_workers_output = yes
decorate_workers_output = no
`;
}
