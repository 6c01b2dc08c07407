"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { LayersIcon, PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createRuntimeImageAction } from "@/lib/actions/runtime/create-runtime-image-action";
import { updateRuntimeImageAction } from "@/lib/actions/runtime/update-runtime-image-action";
import type { Jsonify } from "@/lib/api/json";
import type { RuntimeImageView } from "@/lib/services/runtime/runtime-view";

type Runtime = Jsonify<RuntimeImageView>;

const FIELDS = ["phpVersion", "image", "label", "enabled"];

/** The runtime catalog: which PHP versions new sites may use, and the image each runs on. */
export function RuntimesPanel({ runtimes, canManage }: { runtimes: Runtime[]; canManage: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<Runtime | null>(null);
  const [creating, setCreating] = useState(false);
  const [toggling, startToggle] = useTransition();

  function toggle(runtime: Runtime) {
    startToggle(async () => {
      const result = await updateRuntimeImageAction({
        runtimeImageId: runtime.id,
        enabled: !runtime.enabled,
      });
      if (!result.ok) {
        toast.show({ tone: "error", title: "Not changed", description: result.message });
        return;
      }
      toast.show({
        tone: "success",
        title: result.data.enabled
          ? `PHP ${result.data.phpVersion} is offered`
          : `PHP ${result.data.phpVersion} is no longer offered`,
      });
      router.refresh();
    });
  }

  const newButton = (
    <Button size="sm" onClick={() => setCreating(true)}>
      <PlusIcon className="size-4" />
      Add runtime
    </Button>
  );
  return (
    <Card>
      <CardHeader
        title="Runtime catalog"
        description="The PHP versions new sites may choose, each with the image (nginx and php-fpm) that runs it. Sites on a version that is no longer offered keep running on its image."
        actions={canManage && runtimes.length > 0 ? newButton : null}
      />
      {runtimes.length === 0 ? (
        <EmptyState
          icon={<LayersIcon className="size-6" />}
          title="No runtime yet"
          description="No site can be created until a PHP version has an image here. `npm run up` registers the images it builds."
          action={canManage ? newButton : undefined}
        />
      ) : (
        <Table label="Runtime catalog">
          <thead>
            <tr>
              <Th>PHP</Th>
              <Th>Image</Th>
              <Th>Sites</Th>
              <Th>Offered</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <TBody>
            {runtimes.map((runtime) => (
              <tr key={runtime.id} data-testid="runtime-row" data-php-version={runtime.phpVersion}>
                <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                  {runtime.phpVersion}
                  {runtime.label ? (
                    <span className="ml-2 font-normal text-zinc-500 dark:text-zinc-400">{runtime.label}</span>
                  ) : null}
                </Td>
                <Td className="font-mono text-xs break-all">{runtime.image}</Td>
                <Td className="tabular-nums">{runtime.siteCount}</Td>
                <Td>
                  <Badge tone={runtime.enabled ? "success" : "neutral"}>
                    {runtime.enabled ? "Yes" : "No"}
                  </Badge>
                </Td>
                <Td className="text-right whitespace-nowrap">
                  {canManage ? (
                    <>
                      <Button size="sm" variant="ghost" onClick={() => setEditing(runtime)}>
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost" pending={toggling} onClick={() => toggle(runtime)}>
                        {runtime.enabled ? "Stop offering" : "Offer"}
                      </Button>
                    </>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <RuntimeDialog open={creating} onClose={() => setCreating(false)} runtime={null} />
      <RuntimeDialog open={editing !== null} onClose={() => setEditing(null)} runtime={editing} />
    </Card>
  );
}

function RuntimeDialog({
  runtime,
  open,
  onClose,
}: {
  runtime: Runtime | null;
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setErrors({});
    setFormError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = {
      image: String(form.get("image") ?? ""),
      label: String(form.get("label") ?? ""),
      enabled: form.get("enabled") === "on",
    };
    startTransition(async () => {
      const result = runtime
        ? await updateRuntimeImageAction({ runtimeImageId: runtime.id, ...fields })
        : await createRuntimeImageAction({ phpVersion: String(form.get("phpVersion") ?? ""), ...fields });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      toast.show({
        tone: "success",
        title: runtime ? `PHP ${result.data.phpVersion} saved` : `PHP ${result.data.phpVersion} added`,
      });
      close();
      router.refresh();
    });
  }

  const title = runtime ? `Edit PHP ${runtime.phpVersion}` : "Add runtime";
  return (
    <Dialog open={open} onClose={close} title={title}>
      <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={title}>
        <FormError message={formError} testId="runtime-form-error" />
        {runtime ? null : (
          <Field
            id="runtime-phpVersion"
            label="PHP version"
            hint="major.minor, e.g. 8.4"
            error={errors.phpVersion}
          >
            <Input
              id="runtime-phpVersion"
              name="phpVersion"
              autoComplete="off"
              placeholder="8.4"
              invalid={Boolean(errors.phpVersion)}
            />
          </Field>
        )}
        <Field
          id="runtime-image"
          label="Image"
          hint="Where the cluster pulls it from, e.g. registry.example.com/sitepod/runtime:php8.4. Changing it rolls every site on this version."
          error={errors.image}
        >
          <Input
            id="runtime-image"
            name="image"
            defaultValue={runtime?.image}
            autoComplete="off"
            spellCheck={false}
            invalid={Boolean(errors.image)}
          />
        </Field>
        <Field
          id="runtime-label"
          label="Label (optional)"
          hint="Shown next to the version, e.g. Debian 13."
          error={errors.label}
        >
          <Input
            id="runtime-label"
            name="label"
            defaultValue={runtime?.label ?? ""}
            autoComplete="off"
            invalid={Boolean(errors.label)}
          />
        </Field>
        <label className="flex items-center gap-2 text-sm text-zinc-800 dark:text-zinc-200">
          <input
            type="checkbox"
            name="enabled"
            defaultChecked={runtime?.enabled ?? true}
            className="size-4 rounded border-zinc-300"
          />
          Offer it for new sites
        </label>
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            {runtime ? "Save runtime" : "Add runtime"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
