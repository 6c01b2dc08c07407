import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { LogoMark } from "@/components/ui/icons";
import { PRODUCT_NAME } from "@/lib/glossary";

/** The part of a brand a mark needs: its name, and its logo's URL if it has one. */
export interface MarkBrand {
  name: string;
  logoUrl: string | null;
}

/**
 * The panel's mark and name, where Sitepod's appear (the sidebar's header, the sign-in page): a
 * reseller's logo (or, without one, its initial on its colour) and name for the accounts below it.
 * The logo is decorative next to the name, so screen readers read the name once.
 */
export function BrandMark({
  brand,
  size = "md",
  showName = true,
}: {
  brand: MarkBrand | null;
  size?: "md" | "lg";
  showName?: boolean;
}) {
  const box = size === "lg" ? "size-11" : "size-8";
  let mark: ReactNode;
  if (!brand) mark = <LogoMark className={box} />;
  else if (brand.logoUrl) {
    mark = (
      // biome-ignore lint/performance/noImgElement: a small logo from an authenticated API route, which next/image would fetch without the session
      <img
        src={brand.logoUrl}
        alt=""
        className={cn(size === "lg" ? "h-11 max-w-40" : "h-8 max-w-28", "w-auto shrink-0 object-contain")}
        data-testid="brand-logo"
      />
    );
  } else {
    mark = (
      <span
        aria-hidden="true"
        className={cn(
          box,
          "flex shrink-0 items-center justify-center rounded-lg bg-brand-600 font-semibold text-white",
          size === "lg" ? "text-xl" : "text-base",
        )}
      >
        {[...brand.name.trim()][0]?.toUpperCase() ?? "?"}
      </span>
    );
  }
  return (
    <>
      {mark}
      {showName ? (
        <span className="min-w-0 truncate text-lg font-semibold tracking-tight" data-testid="panel-name">
          {brand?.name ?? PRODUCT_NAME}
        </span>
      ) : null}
    </>
  );
}
