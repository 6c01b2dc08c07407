"use client";

import { useRouter } from "next/navigation";
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { BrandPreview } from "@/components/brand/brand-preview";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { removeBrandAction } from "@/lib/actions/brand/remove-brand-action";
import { removeBrandLogoAction } from "@/lib/actions/brand/remove-brand-logo-action";
import { setBrandLogoAction } from "@/lib/actions/brand/set-brand-logo-action";
import { updateBrandAction } from "@/lib/actions/brand/update-brand-action";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import {
  AA_TEXT_CONTRAST,
  brandColourProblem,
  contrastRatio,
  formatRatio,
  normalizeHexColour,
  parseHexColour,
  readableBrandColour,
  WHITE,
} from "@/lib/brand/colour";
import { LOGO_CONTENT_TYPES, LOGO_MAX_BYTES } from "@/lib/brand/logo";
import type { BrandSettingsView } from "@/lib/services/brand/brand-view";
import { BRAND_NAME_MAX_LENGTH } from "@/lib/validation/brand";

type Brand = Jsonify<BrandSettingsView>;

/** Sitepod's own brand colour (brand-600 in app/globals.css), the starting point of a new brand. */
const DEFAULT_COLOUR = "#3b5bdb";

/** A file's bytes as base64, for the JSON the server action takes. */
async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The colour's contrast with white, said as the form reads it; the problem's words when it fails. */
function ColourCheck({ colour, onUse }: { colour: string; onUse: (hex: string) => void }) {
  const rgb = parseHexColour(colour);
  if (!rgb) return null;
  const problem = brandColourProblem(colour);
  const ratio = formatRatio(contrastRatio(rgb, WHITE));
  if (!problem) {
    return (
      <p className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="colour-check">
        Readable: contrast {ratio} with white text and on white (at least {AA_TEXT_CONTRAST}:1 needed).
      </p>
    );
  }
  const darker = readableBrandColour(colour);
  return (
    <div className="space-y-2" data-testid="colour-check">
      <p className="text-sm text-amber-800 dark:text-amber-300">{problem}</p>
      {darker ? (
        <Button size="sm" variant="secondary" onClick={() => onUse(darker)}>
          Use {darker}
        </Button>
      ) : null}
    </div>
  );
}

/**
 * A reseller's white label: name, colour, logo and own panel hostname, with a live preview of what
 * its customers' panel will look like. Saving sends the fields, then the logo if a new one was
 * chosen; each refusal shows at its field.
 */
export function BrandForm({
  account,
  brand,
  canManage,
}: {
  account: AccountJson;
  brand: Brand | null;
  canManage: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(brand?.name ?? account.name);
  const [colour, setColour] = useState(brand?.primaryColor ?? DEFAULT_COLOUR);
  const [hostname, setHostname] = useState(brand?.hostname ?? "");
  const [logoFile, setLogoFile] = useState<File | null>(null);
  const [logoPreview, setLogoPreview] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [pending, startTransition] = useTransition();
  const fileInput = useRef<HTMLInputElement>(null);

  // The chosen file's preview lives as long as the choice.
  useEffect(() => {
    if (!logoFile) {
      setLogoPreview(null);
      return;
    }
    const url = URL.createObjectURL(logoFile);
    setLogoPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [logoFile]);

  const shownLogo = logoPreview ?? brand?.logo?.url ?? null;
  const colourForPicker = normalizeHexColour(colour) ?? DEFAULT_COLOUR;

  function onLogo(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0] ?? null;
    setErrors(({ logo: _, ...rest }) => rest);
    if (file && file.size > LOGO_MAX_BYTES) {
      setErrors((e) => ({
        ...e,
        logo: `The image is ${Math.ceil(file.size / 1024)} KiB; a logo may be at most ${LOGO_MAX_BYTES / 1024} KiB. Export it smaller.`,
      }));
      event.target.value = "";
      setLogoFile(null);
      return;
    }
    setLogoFile(file);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const saved = await updateBrandAction({ accountId: account.id, name, primaryColor: colour, hostname });
      if (!saved.ok) {
        setErrors(saved.fieldErrors ?? {});
        setFormError(unplacedError(saved, ["name", "primaryColor", "hostname"]));
        return;
      }
      if (logoFile) {
        const uploaded = await setBrandLogoAction({ accountId: account.id, logo: await toBase64(logoFile) });
        if (!uploaded.ok) {
          setErrors({ logo: uploaded.fieldErrors?.logo ?? uploaded.message });
          setFormError("The name, colour and hostname were saved; the logo was not.");
          return;
        }
        setLogoFile(null);
        if (fileInput.current) fileInput.current.value = "";
      }
      setErrors({});
      setFormError(null);
      toast.show({ tone: "success", title: "Branding saved" });
      router.refresh();
    });
  }

  function removeLogo() {
    startTransition(async () => {
      const result = await removeBrandLogoAction({ accountId: account.id });
      if (!result.ok) {
        setFormError(result.message);
        return;
      }
      toast.show({ tone: "success", title: "Logo removed" });
      router.refresh();
    });
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <Card>
        <CardHeader
          title="Your brand"
          description="What the panel of every account below you shows instead of Sitepod."
        />
        <CardBody>
          <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Branding">
            <FormError message={formError} testId="brand-form-error" />
            <Field
              id="brand-name"
              label="Name"
              hint="Shown in the panel's header and tab titles."
              error={errors.name}
            >
              <Input
                id="brand-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={BRAND_NAME_MAX_LENGTH * 2}
                autoComplete="organization"
                disabled={!canManage}
                invalid={Boolean(errors.name)}
                describedBy={errors.name ? "brand-name-error" : "brand-name-hint"}
              />
            </Field>
            <Field id="brand-colour" label="Colour" error={errors.primaryColor}>
              <div className="flex items-center gap-3">
                <input
                  type="color"
                  aria-label="Pick the colour"
                  value={colourForPicker}
                  onChange={(e) => setColour(e.target.value)}
                  disabled={!canManage}
                  className="h-10 w-14 shrink-0 cursor-pointer rounded-lg border border-zinc-300 bg-white p-1 disabled:cursor-default dark:border-zinc-700 dark:bg-zinc-900"
                />
                <Input
                  id="brand-colour"
                  value={colour}
                  onChange={(e) => setColour(e.target.value)}
                  spellCheck={false}
                  autoComplete="off"
                  className="max-w-36 font-mono"
                  disabled={!canManage}
                  invalid={Boolean(errors.primaryColor)}
                  describedBy={errors.primaryColor ? "brand-colour-error" : undefined}
                />
              </div>
            </Field>
            {canManage ? <ColourCheck colour={colour} onUse={setColour} /> : null}
            <Field
              id="brand-logo"
              label="Logo"
              hint={`PNG, JPEG, WebP or SVG, at most ${LOGO_MAX_BYTES / 1024} KiB; shown 32 px high.`}
              error={errors.logo}
            >
              <div className="flex flex-wrap items-center gap-3">
                {shownLogo ? (
                  // biome-ignore lint/performance/noImgElement: the chosen file (a blob: URL) or the saved logo from its authenticated route
                  <img
                    src={shownLogo}
                    alt="Current logo"
                    className="h-10 w-auto max-w-40 rounded border border-zinc-200 bg-white object-contain p-1 dark:border-zinc-700"
                  />
                ) : null}
                {canManage ? (
                  <input
                    ref={fileInput}
                    id="brand-logo"
                    type="file"
                    accept={LOGO_CONTENT_TYPES.join(",")}
                    onChange={onLogo}
                    aria-invalid={errors.logo ? true : undefined}
                    aria-describedby={errors.logo ? "brand-logo-error" : "brand-logo-hint"}
                    className="w-full min-w-0 max-w-full text-sm file:mr-3 file:rounded-lg file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
                  />
                ) : null}
                {canManage && brand?.logo && !logoFile ? (
                  <Button size="sm" variant="ghost" onClick={removeLogo} disabled={pending}>
                    Remove logo
                  </Button>
                ) : null}
              </div>
            </Field>
            <Field
              id="brand-hostname"
              label="Your panel's hostname (optional)"
              hint="e.g. panel.example.com. Point its DNS at this panel: its sign-in page then shows your brand. Leave empty for none."
              error={errors.hostname}
            >
              <Input
                id="brand-hostname"
                value={hostname}
                onChange={(e) => setHostname(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                inputMode="url"
                disabled={!canManage}
                invalid={Boolean(errors.hostname)}
                describedBy={errors.hostname ? "brand-hostname-error" : "brand-hostname-hint"}
              />
            </Field>
            {canManage ? (
              <div className="flex flex-wrap justify-end gap-3">
                {brand ? (
                  <Button
                    variant="ghost"
                    className="mr-auto text-red-600 dark:text-red-400"
                    onClick={() => setRemoving(true)}
                  >
                    Remove branding
                  </Button>
                ) : null}
                <Button type="submit" pending={pending}>
                  Save branding
                </Button>
              </div>
            ) : (
              <p className="text-sm text-zinc-500 dark:text-zinc-400">
                Only the owners and admins of {account.name} can change its branding.
              </p>
            )}
          </form>
        </CardBody>
      </Card>
      <div className="space-y-2">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Live preview</h2>
        <BrandPreview brand={{ name: name.trim() || account.name, logoUrl: shownLogo }} colour={colour} />
      </div>
      <ConfirmDialog
        open={removing}
        onClose={() => setRemoving(false)}
        title="Remove your branding?"
        description="Your customers' panel shows Sitepod's name, logo and colour again, and your panel hostname no longer shows your brand."
        confirmLabel="Remove branding"
        danger
        onConfirm={async () => {
          const result = await removeBrandAction({ accountId: account.id });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: "Branding removed" });
          router.refresh();
          return null;
        }}
      />
    </div>
  );
}
