<?php
/**
 * Sitepod's readiness check (nginx location /-/sitepod/ready, lib/k8s/manifests/config-files.ts):
 * answering at all proves that nginx reaches php-fpm and that php-fpm runs PHP. It touches no
 * database and no site file, so a slow database or a broken plugin never takes a pod out of
 * rotation by itself.
 */
header('Cache-Control: no-store');
header('Content-Type: text/plain; charset=utf-8');
echo "ok\n";
