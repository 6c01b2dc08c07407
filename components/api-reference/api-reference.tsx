import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import {
  type JsonSchema,
  type SchemaField,
  schemaFields,
  schemaRules,
  schemaType,
} from "@/lib/api/openapi/describe-schema";
import type { OpenApiDocument } from "@/lib/api/openapi/document";

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}

interface Entry {
  method: string;
  path: string;
  operation: Operation;
}

const METHOD_TONES: Record<string, BadgeTone> = {
  GET: "info",
  POST: "success",
  PUT: "warning",
  PATCH: "warning",
  DELETE: "danger",
};

/** The document's prose marks code with backticks and paragraphs with blank lines. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("\n\n").map((paragraph, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the paragraphs of a fixed text
        <p key={i} className="text-sm text-zinc-600 dark:text-zinc-400">
          {paragraph.split("`").map((part, j) =>
            j % 2 === 1 ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a fixed text
              <code key={j} className="rounded bg-zinc-100 px-1 font-mono text-xs break-all dark:bg-zinc-800">
                {part}
              </code>
            ) : (
              part
            ),
          )}
        </p>
      ))}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-2">
      <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
        {title}
      </h3>
      {children}
    </div>
  );
}

function FieldLine({
  name,
  type,
  required,
  rules,
  where,
  description,
}: {
  name: string;
  type: string;
  required: boolean;
  rules: string[];
  where?: string;
  description?: string;
}) {
  return (
    <div className="space-y-0.5">
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
        <code className="font-mono text-sm font-semibold break-all text-zinc-900 dark:text-zinc-100">
          {name}
        </code>
        <span className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{type}</span>
        {where ? <span className="text-xs text-zinc-500 dark:text-zinc-400">in {where}</span> : null}
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{required ? "required" : "optional"}</span>
      </div>
      {description ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      {rules.length > 0 ? (
        <p className="text-xs break-all text-zinc-500 dark:text-zinc-400">{rules.join(" · ")}</p>
      ) : null}
    </div>
  );
}

function Fields({ fields }: { fields: SchemaField[] }) {
  return (
    <ul className="space-y-3">
      {fields.map((field) => (
        <li key={field.name} className="space-y-2">
          <FieldLine {...field} />
          {field.fields.length > 0 ? (
            <div className="border-l-2 border-zinc-200 pl-3 dark:border-zinc-700">
              <Fields fields={field.fields} />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function access(operation: Operation): string | null {
  if (operation.security?.length === 0) return "Public";
  if (operation.security?.every((scheme) => "sessionCookie" in scheme)) return "Session only";
  return null;
}

function OperationDetails({ entry, document }: { entry: Entry; document: OpenApiDocument }) {
  const { method, path, operation } = entry;
  const bodyRef = operation.requestBody?.content["application/json"]?.schema.$ref;
  const bodySchema = bodyRef
    ? ((document.components.schemas as Record<string, JsonSchema>)[bodyRef.split("/").pop() ?? ""] ?? null)
    : null;
  const only = access(operation);
  return (
    <details
      id={operation.operationId}
      className="group border-b border-zinc-200 last:border-b-0 dark:border-zinc-800"
    >
      <summary className="flex cursor-pointer list-none flex-wrap [&::-webkit-details-marker]:hidden items-center gap-x-3 gap-y-1 px-5 py-3 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-brand-500 dark:hover:bg-zinc-800/50">
        <span
          aria-hidden="true"
          className="inline-block text-zinc-400 transition-transform group-open:rotate-90"
        >
          ›
        </span>
        <Badge tone={METHOD_TONES[method] ?? "neutral"} className="w-16 justify-center font-mono">
          {method}
        </Badge>
        <code className="min-w-0 font-mono text-sm break-all text-zinc-900 dark:text-zinc-100">{path}</code>
        <span className="w-full text-sm text-zinc-600 sm:w-auto dark:text-zinc-400">{operation.summary}</span>
        {only ? <Badge tone="neutral">{only}</Badge> : null}
      </summary>
      <div className="space-y-5 px-5 pt-1 pb-5">
        {operation.description ? (
          <div className="space-y-2">
            <Prose text={operation.description} />
          </div>
        ) : null}
        {operation.parameters?.length ? (
          <Section title="Parameters">
            <ul className="space-y-3">
              {operation.parameters.map((param) => (
                <li key={`${param.in}:${param.name}`}>
                  <FieldLine
                    name={param.name}
                    type={schemaType(param.schema)}
                    required={param.required}
                    rules={schemaRules(param.schema)}
                    where={param.in}
                    description={param.description}
                  />
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
        {bodySchema ? (
          <Section title="Request body (JSON)">
            {schemaFields(bodySchema).length > 0 ? (
              <Fields fields={schemaFields(bodySchema)} />
            ) : (
              <p className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{schemaType(bodySchema)}</p>
            )}
          </Section>
        ) : null}
        <Section title="Responses">
          <dl className="space-y-3">
            {Object.entries(operation.responses).map(([status, response]) => (
              <div key={status} className="flex gap-3">
                <dt className="w-10 shrink-0 font-mono text-sm font-semibold text-zinc-900 dark:text-zinc-100">
                  {status}
                </dt>
                <dd className="min-w-0 space-y-1">
                  <Prose text={response.description} />
                </dd>
              </div>
            ))}
          </dl>
        </Section>
      </div>
    </details>
  );
}

/** The REST API's OpenAPI document, readable: its operations by tag, each opening to its details. */
export function ApiReference({ document }: { document: OpenApiDocument }) {
  const entries: Entry[] = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation: operation as unknown as Operation,
    })),
  );
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Using the API" />
        <CardBody className="space-y-2">
          <Prose text={document.info.description} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The machine-readable document (OpenAPI {document.openapi}) is at{" "}
            <a
              href="/api/v1/openapi.json"
              className="font-mono text-brand-700 hover:underline dark:text-brand-400"
            >
              /api/v1/openapi.json
            </a>
            .
          </p>
        </CardBody>
      </Card>
      <nav aria-label="API sections">
        <ul className="flex flex-wrap gap-2">
          {document.tags.map((tag) => (
            <li key={tag.name}>
              <a
                href={`#tag-${slug(tag.name)}`}
                className="inline-block rounded-lg border border-zinc-200 px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                {tag.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {document.tags.map((tag) => {
        const inTag = entries.filter((entry) => entry.operation.tags.includes(tag.name));
        if (inTag.length === 0) return null;
        return (
          <div key={tag.name} id={`tag-${slug(tag.name)}`} className="scroll-mt-20">
            <Card>
              <CardHeader title={tag.name} description={tag.description} />
              <div>
                {inTag.map((entry) => (
                  <OperationDetails key={entry.operation.operationId} entry={entry} document={document} />
                ))}
              </div>
            </Card>
          </div>
        );
      })}
    </div>
  );
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
