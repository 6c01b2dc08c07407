import type { RuntimeImage } from "@/lib/generated/prisma/client";

/** A runtime catalog entry as the operator's Runtimes page and its actions see it. */
export interface RuntimeImageView {
  id: string;
  phpVersion: string;
  image: string;
  label: string | null;
  enabled: boolean;
  /** Sites on this version (those being deleted included): they run this image. */
  siteCount: number;
  createdAt: string;
  updatedAt: string;
}

export function toRuntimeImageView(row: RuntimeImage, siteCount: number): RuntimeImageView {
  return {
    id: row.id,
    phpVersion: row.phpVersion,
    image: row.image,
    label: row.label,
    enabled: row.enabled,
    siteCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of an entry: everything, there is no secret in it. */
export function runtimeSummaryData(row: Pick<RuntimeImage, "phpVersion" | "image" | "label" | "enabled">) {
  return { phpVersion: row.phpVersion, image: row.image, label: row.label, enabled: row.enabled };
}
