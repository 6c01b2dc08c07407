"use client";

import { usePathname } from "next/navigation";
import { type MouseEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { CloseIcon, MenuIcon } from "@/components/ui/icons";

/** The width from which the sidebar is always shown (Tailwind's `md`). */
const SIDEBAR_MEDIA = "(min-width: 48rem)";

/**
 * The sidebar on a small screen: a menu button that opens it as a modal drawer (the native <dialog>
 * traps focus, makes the page behind inert and closes on Escape). Focus moves to the current page's
 * link in it on opening and back to the button on closing; a click on the backdrop, on a link inside, a
 * change of page or a screen wide enough for the sidebar close it.
 */
export function MobileNav({ header, children }: { header: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();
  const shownPath = useRef(pathname);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // Into the menu, at the page the user is on.
      const target =
        dialog.querySelector<HTMLElement>('nav [aria-current="page"]') ??
        dialog.querySelector<HTMLElement>("nav a[href]");
      target?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    setOpen(false);
  }, [pathname]);

  useEffect(() => {
    const media = window.matchMedia(SIDEBAR_MEDIA);
    const onChange = () => {
      if (media.matches) setOpen(false);
    };
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, []);

  function onDialogClick(event: MouseEvent<HTMLDialogElement>) {
    // The dialog element itself is hit only outside its content: on the backdrop.
    const target = event.target as Element;
    if (target === event.currentTarget || target.closest("a[href]")) setOpen(false);
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-label="Navigation menu"
        aria-expanded={open}
        aria-controls="mobile-nav"
        onClick={() => setOpen(true)}
        className="-ml-1.5 rounded-lg p-2 text-zinc-700 hover:bg-zinc-100 md:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <MenuIcon className="size-5" />
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop; keys close it with Escape or the Close button */}
      <dialog
        id="mobile-nav"
        ref={dialogRef}
        aria-label="Navigation menu"
        onClose={() => {
          setOpen(false);
          buttonRef.current?.focus();
        }}
        onClick={onDialogClick}
        className="m-0 h-dvh max-h-dvh w-72 max-w-[85vw] border-r border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl md:hidden dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {open ? (
          <div className="flex min-h-full flex-col gap-6 px-4 py-5">
            <div className="flex items-center justify-between gap-2">
              {header}
              <button
                type="button"
                aria-label="Close menu"
                onClick={() => setOpen(false)}
                className="rounded-lg p-2 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
              >
                <CloseIcon className="size-5" />
              </button>
            </div>
            {children}
          </div>
        ) : null}
      </dialog>
    </>
  );
}
