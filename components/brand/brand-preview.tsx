import { BrandMark, type MarkBrand } from "@/components/brand/brand-mark";
import { BuildingIcon, GlobeIcon, UsersIcon } from "@/components/ui/icons";
import { brandPalette, brandStyleSheet, parseHexColour } from "@/lib/brand/colour";

/**
 * What a customer's panel looks like with the brand being edited, before it is saved: the sidebar's
 * header and navigation, a button and a link, in the panel's own classes. A colour too light to read
 * is shown as it would look (the form says why it cannot be saved); what is no colour, as Sitepod's.
 */
export function BrandPreview({ brand, colour }: { brand: MarkBrand; colour: string }) {
  const usable = parseHexColour(colour) !== null;
  const palette = usable ? brandPalette(colour) : null;
  return (
    <figure
      aria-label="Preview of your customers' panel"
      data-testid="brand-preview"
      data-brand-preview=""
      className="overflow-hidden rounded-xl border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
    >
      {/* The brand's shades for this box only, in light and dark mode, as the shell gets them. */}
      {palette ? <style>{brandStyleSheet(palette, "[data-brand-preview]")}</style> : null}
      <div className="flex">
        <div className="flex w-52 shrink-0 flex-col gap-4 border-r border-zinc-200 bg-white px-3 py-4 dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex min-w-0 items-center gap-2.5 px-1">
            <BrandMark brand={brand} />
          </div>
          <ul className="space-y-0.5 text-sm font-medium">
            <li className="flex items-center gap-3 rounded-lg px-3 py-2 text-zinc-600 dark:text-zinc-400">
              <BuildingIcon className="size-5" />
              Account
            </li>
            <li className="flex items-center gap-3 rounded-lg bg-brand-50 px-3 py-2 text-brand-700 dark:bg-brand-500/15 dark:text-white">
              <GlobeIcon className="size-5" />
              Sites
            </li>
            <li className="flex items-center gap-3 rounded-lg px-3 py-2 text-zinc-600 dark:text-zinc-400">
              <UsersIcon className="size-5" />
              Members
            </li>
          </ul>
        </div>
        <div className="min-w-0 flex-1 space-y-3 p-4 text-sm">
          <p className="font-semibold text-zinc-900 dark:text-zinc-100">Sites</p>
          <p className="text-zinc-600 dark:text-zinc-400">
            <span className="font-medium text-brand-600 underline dark:text-brand-500">shop.example.com</span>{" "}
            is live.
          </p>
          <span className="inline-flex h-9 items-center rounded-lg bg-brand-600 px-4 font-medium text-white shadow-sm">
            New site
          </span>
        </div>
      </div>
      <figcaption className="border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        {palette
          ? "Preview: what your customers see. Saved, it replaces Sitepod's name, logo and colour in their panel."
          : "Preview with Sitepod's colour until the colour is a hex code."}
      </figcaption>
    </figure>
  );
}
