"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { CodeInput } from "@/components/two-factor/code-input";
import { RecoveryCodes } from "@/components/two-factor/recovery-codes";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { confirmTwoFactorEnrolmentAction } from "@/lib/actions/two-factor/confirm-two-factor-enrolment-action";
import { disableTwoFactorAction } from "@/lib/actions/two-factor/disable-two-factor-action";
import { regenerateRecoveryCodesAction } from "@/lib/actions/two-factor/regenerate-recovery-codes-action";
import { startTwoFactorEnrolmentAction } from "@/lib/actions/two-factor/start-two-factor-enrolment-action";

export interface TwoFactorPanelStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  requiredBy: string[];
}

interface Errors {
  /** Which form the errors belong to. */
  source: string | null;
  form: string | null;
  fields: Record<string, string>;
}
const NO_ERRORS: Errors = { source: null, form: null, fields: {} };

function errorsOf(source: string, result: { message: string; fieldErrors?: Record<string, string> }): Errors {
  const fields = result.fieldErrors ?? {};
  return { source, form: Object.keys(fields).length > 0 ? null : result.message, fields };
}

export function TwoFactorPanel({ status }: { status: TwoFactorPanelStatus }) {
  const router = useRouter();
  const toast = useToast();
  const [enrolment, setEnrolment] = useState<{ secret: string; qrSvg: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);

  async function start() {
    setPending("start");
    setErrors(NO_ERRORS);
    const result = await startTwoFactorEnrolmentAction({});
    setPending(null);
    if (!result.ok) return setErrors(errorsOf("start", result));
    setEnrolment({ secret: result.data.secret, qrSvg: result.data.qrSvg });
  }

  async function submit(
    event: FormEvent<HTMLFormElement>,
    name: string,
    run: (form: FormData) => Promise<{ ok: true; data: { recoveryCodes?: string[] } } | ActionFailure>,
  ) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(name);
    setErrors(NO_ERRORS);
    const result = await run(form);
    setPending(null);
    if (!result.ok) return setErrors(errorsOf(name, result));
    return result.data;
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    const data = await submit(event, "confirm", (form) =>
      confirmTwoFactorEnrolmentAction({ code: String(form.get("code") ?? "") }),
    );
    if (data?.recoveryCodes) {
      setEnrolment(null);
      setCodes(data.recoveryCodes);
      toast.show({ tone: "success", title: "Two-factor sign-in is on" });
    }
  }

  async function regenerate(event: FormEvent<HTMLFormElement>) {
    const data = await submit(event, "regenerate", (form) =>
      regenerateRecoveryCodesAction({ code: String(form.get("code") ?? "") }),
    );
    if (data?.recoveryCodes) setCodes(data.recoveryCodes);
  }

  async function disable(event: FormEvent<HTMLFormElement>) {
    const data = await submit(event, "disable", async (form) => {
      const result = await disableTwoFactorAction({
        password: String(form.get("password") ?? ""),
        code: String(form.get("code") ?? ""),
      });
      return result.ok ? { ok: true, data: {} } : result;
    });
    if (data) {
      toast.show({ tone: "success", title: "Two-factor sign-in is off" });
      router.refresh();
    }
  }

  if (codes) {
    return (
      <Card>
        <CardHeader title="Your recovery codes" />
        <CardBody>
          <RecoveryCodes
            codes={codes}
            onDone={() => {
              setCodes(null);
              router.refresh();
            }}
          />
        </CardBody>
      </Card>
    );
  }

  if (enrolment) {
    return (
      <Card>
        <CardHeader
          title="Set up your authenticator app"
          description="Use any TOTP app: 1Password, Bitwarden, Google Authenticator, Aegis…"
        />
        <CardBody className="space-y-5">
          <ol className="list-decimal space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
            <li>Scan this QR code with the app, or type the key below into it.</li>
            <li>Enter the 6-digit code the app then shows.</li>
          </ol>
          <div className="flex flex-col items-start gap-4 sm:flex-row">
            {/* A data: URL keeps the SVG markup out of the DOM; the CSP allows data: images. */}
            {/* biome-ignore lint/performance/noImgElement: an inline data: SVG needs no image optimisation */}
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
              alt="QR code to add Sitepod to your authenticator app"
              width={180}
              height={180}
              className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-700"
            />
            <div className="min-w-0 space-y-1">
              <p className="text-sm font-medium text-zinc-800 dark:text-zinc-200" id="totp-secret-label">
                Key
              </p>
              <code
                data-testid="totp-secret"
                className="block rounded-md bg-zinc-100 px-2 py-1.5 font-mono text-sm break-all text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
              >
                {enrolment.secret.replace(/(.{4})/g, "$1 ").trim()}
              </code>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                Time-based, 6 digits, every 30 seconds.
              </p>
            </div>
          </div>
          <form onSubmit={(e) => void confirm(e)} className="space-y-4" noValidate>
            <FormError message={errors.form} testId="two-factor-form-error" />
            <CodeInput id="confirm-code" label="Code from the app" error={errors.fields.code} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" pending={pending === "confirm"}>
                Turn on two-factor sign-in
              </Button>
              <Button variant="ghost" onClick={() => setEnrolment(null)}>
                Cancel
              </Button>
            </div>
          </form>
        </CardBody>
      </Card>
    );
  }

  if (!status.enabled) {
    return (
      <Card>
        <CardHeader title="Two-factor sign-in is off" />
        <CardBody className="space-y-4">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            With two-factor sign-in, signing in needs your password and a code from an authenticator app on
            your phone, so a stolen password alone is not enough.
          </p>
          <FormError message={errors.form} testId="two-factor-form-error" />
          <Button onClick={() => void start()} pending={pending === "start"}>
            Set up two-factor sign-in
          </Button>
        </CardBody>
      </Card>
    );
  }

  const since = status.enabledAt ? new Date(status.enabledAt).toLocaleDateString() : "";
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Two-factor sign-in is on" description={`Since ${since}.`} />
        <CardBody className="space-y-3 text-sm text-zinc-700 dark:text-zinc-300">
          <p data-testid="two-factor-status">
            Signing in asks for a code from your authenticator app. Recovery codes left:{" "}
            <span className="font-medium">{status.recoveryCodesLeft}</span> of 10.
          </p>
          <ButtonLink href="/" variant="secondary" size="sm">
            Continue to Sitepod
          </ButtonLink>
        </CardBody>
      </Card>
      <FormError message={errors.form} testId="two-factor-form-error" />
      <Card>
        <CardHeader
          title="New recovery codes"
          description="Makes ten new codes; the old ones stop working."
        />
        <CardBody>
          <form onSubmit={(e) => void regenerate(e)} className="space-y-4" noValidate>
            <CodeInput
              id="regenerate-code"
              label="Current code from the app"
              error={errors.source === "regenerate" ? errors.fields.code : undefined}
            />
            <Button type="submit" variant="secondary" pending={pending === "regenerate"}>
              Generate new recovery codes
            </Button>
          </form>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Turn off two-factor sign-in" />
        <CardBody>
          {status.requiredBy.length > 0 ? (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              {status.requiredBy.join(", ")} {status.requiredBy.length === 1 ? "requires" : "require"}{" "}
              two-factor sign-in, so it cannot be turned off. If you lost your app and your recovery codes,
              ask your platform operator to reset it.
            </p>
          ) : (
            <form onSubmit={(e) => void disable(e)} className="space-y-4" noValidate>
              <Field
                id="disable-password"
                label="Password"
                error={errors.source === "disable" ? errors.fields.password : undefined}
              >
                <Input
                  id="disable-password"
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  invalid={Boolean(errors.fields.password)}
                  describedBy={errors.fields.password ? "disable-password-error" : undefined}
                />
              </Field>
              <CodeInput
                id="disable-code"
                label="Code from the app or a recovery code"
                error={errors.source === "disable" ? errors.fields.code : undefined}
              />
              <Button type="submit" variant="danger" pending={pending === "disable"}>
                Turn off two-factor sign-in
              </Button>
            </form>
          )}
        </CardBody>
      </Card>
    </div>
  );
}

type ActionFailure = { ok: false; message: string; fieldErrors?: Record<string, string> };
