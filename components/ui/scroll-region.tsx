"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A box that scrolls sideways on its own (a wide table on a narrow screen) instead of the page.
 * Named for assistive technology; a Tab stop only while it actually scrolls, so that keyboard users
 * can reach what is off to the side with the arrow keys. `relative` keeps visually hidden content
 * (sr-only column headers) inside it: positioned against the page, it would widen the page.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  const [scrolls, setScrolls] = useState(false);

  useEffect(() => {
    const region = ref.current;
    if (!region) return;
    const measure = () => setScrolls(region.scrollWidth > region.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(region);
    for (const child of region.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  return (
    <section
      ref={ref}
      aria-label={label}
      tabIndex={scrolls ? 0 : undefined}
      data-scrolls={scrolls || undefined}
      className={cn(
        "relative overflow-x-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-500",
        className,
      )}
    >
      {children}
    </section>
  );
}
