import { type SiteManifestSpec, siteHostnames } from "./types";

/** Where php-fpm listens inside the pod; nginx reaches it over the pod's loopback. */
export const PHP_FPM_PORT = 9000;
export const NGINX_PORT = 8080;
export const DOCUMENT_ROOT = "/var/www/html";

/**
 * nginx vhost for a PHP front controller (WordPress or plain PHP). nginx and php-fpm mount the
 * same volume at the same path, so SCRIPT_FILENAME resolves identically in both containers.
 */
export function renderNginxVhost(spec: SiteManifestSpec): string {
  return `server {
    listen ${NGINX_PORT} default_server;
    server_name ${siteHostnames(spec).join(" ")};
    root ${DOCUMENT_ROOT};
    index index.php index.html;
    client_max_body_size ${spec.php.uploadMaxSize};

    # Answered by nginx itself so probes do not depend on PHP or the database.
    location = /healthz {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
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
        fastcgi_param HTTPS $http_x_forwarded_proto if_not_empty;
    }
}
`;
}

export function renderPhpIni(spec: SiteManifestSpec): string {
  return `memory_limit = ${spec.php.memoryLimit}
upload_max_filesize = ${spec.php.uploadMaxSize}
post_max_size = ${spec.php.uploadMaxSize}
max_execution_time = 60
expose_php = Off
display_errors = Off
log_errors = On
error_log = /proc/self/fd/2
opcache.enable = 1
opcache.memory_consumption = 64
`;
}

/** Loaded after the image's own pool files (zz- prefix), so these values win. */
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
`;
}
