"use client";

import { useEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { ScrollRegion } from "@/components/ui/scroll-region";

export interface SiteSection {
  /** The id of the element the section starts at (an in-page anchor). */
  id: string;
  label: string;
}

/**
 * Where a section counts as reached: below the sticky top bar (4rem) and this bar (about 3rem).
 * Sections are anchored with `scroll-mt-32` (8rem), so a jump lands just under this line.
 */
const REACHED_PX = 140;

/** The section the reader is in: the last one whose top has passed the line under the bars. */
function currentSection(sections: readonly SiteSection[]): string | undefined {
  const root = document.scrollingElement ?? document.documentElement;
  // At the very bottom the last sections may never reach the line: the one just jumped to (the
  // page could not bring it up to the line), else the last one.
  if (root.scrollTop > 0 && root.scrollTop + window.innerHeight >= root.scrollHeight - 2) {
    const target = sections.find((s) => `#${s.id}` === window.location.hash);
    const top = target ? document.getElementById(target.id)?.getBoundingClientRect().top : undefined;
    return top !== undefined && top >= 0 && top < window.innerHeight ? target?.id : sections.at(-1)?.id;
  }
  let current = sections[0]?.id;
  for (const section of sections) {
    const element = document.getElementById(section.id);
    if (element && element.getBoundingClientRect().top <= REACHED_PX) current = section.id;
  }
  return current;
}

/**
 * The site page's sections as in-page links, sticky under the top bar, the current one marked
 * (aria-current). On a phone the links scroll sideways inside the bar, never the page. Every
 * section stays on the page (no client-side tabs): the links only jump.
 */
export function SiteSectionsNav({ sections }: { sections: readonly SiteSection[] }) {
  const [current, setCurrent] = useState(sections[0]?.id);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setCurrent(currentSection(sections)));
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [sections]);

  // Keep the current link in view inside the bar. Not scrollIntoView: it could scroll the page too.
  useEffect(() => {
    if (!current) return;
    const link = listRef.current?.querySelector<HTMLElement>(`a[href="#${current}"]`);
    const strip = listRef.current?.parentElement;
    if (!link || !strip || strip.scrollWidth <= strip.clientWidth) return;
    const left = link.offsetLeft;
    const right = left + link.offsetWidth;
    if (left < strip.scrollLeft || right > strip.scrollLeft + strip.clientWidth) {
      strip.scrollTo({ left: Math.max(0, left - 16) });
    }
  }, [current]);

  return (
    <nav
      aria-label="Site sections"
      className="sticky top-16 z-10 -mx-4 mb-6 border-b border-zinc-200 bg-zinc-50/95 px-4 backdrop-blur sm:-mx-8 sm:px-8 dark:border-zinc-800 dark:bg-zinc-950/95"
    >
      <ScrollRegion label="Section links">
        <ul ref={listRef} className="flex gap-1 py-1.5">
          {sections.map((section) => (
            <li key={section.id} className="shrink-0">
              <a
                href={`#${section.id}`}
                aria-current={section.id === current ? "location" : undefined}
                onClick={() => setCurrent(section.id)}
                className={cn(
                  "block rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-500",
                  section.id === current
                    ? "bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-700"
                    : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100",
                )}
              >
                {section.label}
              </a>
            </li>
          ))}
        </ul>
      </ScrollRegion>
    </nav>
  );
}
