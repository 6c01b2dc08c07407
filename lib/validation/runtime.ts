/**
 * The runtime catalog's schemas (PHP version -> image), shared by the operator's Runtimes page, its
 * server actions and scripts/register-runtimes. Messages are shown to users as they are.
 */
import { z } from "zod";

export const PHP_VERSION_PATTERN = /^\d+\.\d+$/;
export const IMAGE_REFERENCE_MAX_LENGTH = 255;
export const RUNTIME_LABEL_MAX_LENGTH = 80;

// The grammar of github.com/distribution/reference (what docker, containerd and the kubelet accept).
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

/** Why `reference` is not an OCI image reference Kubernetes can pull, or null. */
export function imageReferenceProblem(reference: string): string | null {
  if (reference.length === 0)
    return "Enter the image reference, e.g. registry.example.com/sitepod/runtime:php8.4.";
  if (reference.length > IMAGE_REFERENCE_MAX_LENGTH) {
    return `Use at most ${IMAGE_REFERENCE_MAX_LENGTH} characters.`;
  }
  if (/\s/.test(reference)) return "An image reference has no spaces.";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) {
    return "Enter the image reference without a scheme (no https://), e.g. registry.example.com/sitepod/runtime:php8.4.";
  }
  if (!REFERENCE.test(reference)) {
    return "Enter an image reference such as registry.example.com/sitepod/runtime:php8.4: lower-case repository path, optional :tag and @sha256:digest.";
  }
  return null;
}

export const phpVersionSchema = z
  .string({ error: "Enter a PHP version, e.g. 8.4." })
  .trim()
  .regex(PHP_VERSION_PATTERN, { error: "Enter a PHP version as major.minor, e.g. 8.4." })
  .max(8, { error: "Enter a PHP version as major.minor, e.g. 8.4." });

export const imageReferenceSchema = z
  .string({ error: "Enter the image reference." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = imageReferenceProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Optional text: empty means none. */
const runtimeLabelSchema = z
  .string()
  .trim()
  .max(RUNTIME_LABEL_MAX_LENGTH, { error: `Use at most ${RUNTIME_LABEL_MAX_LENGTH} characters.` })
  .nullish()
  .transform((value) => (value ? value : null));

/** Forms send checkboxes as booleans; scripts may send "true"/"false". */
const enabledSchema = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean({ error: "Say whether the runtime is offered." }),
);

export const createRuntimeImageSchema = z.object({
  phpVersion: phpVersionSchema,
  image: imageReferenceSchema,
  label: runtimeLabelSchema,
  enabled: enabledSchema.default(true),
});

/** The version is fixed once registered: sites refer to it. */
export const updateRuntimeImageSchema = z.object({
  image: imageReferenceSchema.optional(),
  label: runtimeLabelSchema.optional(),
  enabled: enabledSchema.optional(),
});

/** The file scripts/register-runtimes reads: what the local image build produced. */
export const runtimeRegistrationSchema = z
  .array(
    z.object({
      phpVersion: phpVersionSchema,
      image: imageReferenceSchema,
      label: runtimeLabelSchema,
    }),
  )
  .min(1, { error: "List at least one runtime." });

export type CreateRuntimeImageInput = z.output<typeof createRuntimeImageSchema>;
export type UpdateRuntimeImageInput = z.output<typeof updateRuntimeImageSchema>;
export type RuntimeRegistration = z.output<typeof runtimeRegistrationSchema>;
