"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { updateProfileAction } from "@/lib/actions/user/update-profile-action";

export function ProfileNameForm({ name }: { name: string }) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("name") ?? "");
    startTransition(async () => {
      const result = await updateProfileAction({ name: value });
      if (!result.ok) {
        setError(result.fieldErrors?.name);
        setFormError(unplacedError(result, ["name"]));
        return;
      }
      setError(undefined);
      setFormError(null);
      toast.show({ tone: "success", title: "Name saved" });
      router.refresh();
    });
  }

  return (
    <Card>
      <CardHeader
        title="Your name"
        description="What the members of your accounts see next to your changes."
      />
      <CardBody>
        <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
          <FormError message={formError} testId="profile-name-error" />
          <Field id="name" label="Name" error={error}>
            <Input
              id="name"
              name="name"
              defaultValue={name}
              autoComplete="name"
              required
              maxLength={120}
              invalid={Boolean(error)}
              describedBy={error ? "name-error" : undefined}
            />
          </Field>
          <Button type="submit" pending={pending}>
            Save name
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
