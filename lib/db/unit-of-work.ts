/**
 * One database transaction around several service calls, without changing the services: inside
 * `runUnitOfWork`, every use of `prisma` (lib/db.ts) runs on the unit's transaction, and a
 * service's own `prisma.$transaction(fn)` joins it (fn gets the same transaction). So a caller can
 * make several services' writes, and a write of its own, commit or roll back together, and
 * services still authorize, validate and append their change-log rows exactly as they always do.
 *
 * With `dryRun`, the transaction is rolled back at the end whatever happened: every check runs
 * (authorization, validation, plan limits, unique names, locks) and nothing is written. Change-log
 * rows are not even inserted then: a rolled-back insert would still take an auto-increment id,
 * and every reader of the change log would wait for that id to commit (see lib/apiserver/watch).
 *
 * Used by the Kubernetes-style API server (lib/apiserver), whose create, update, patch and delete
 * verbs write an object's spec through the services and its labels and annotations beside them,
 * and whose `dryRun=All` must never write.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A change-log row a service appended inside the unit. */
export interface RecordedChange {
  kind: string;
  objectId: string;
  accountId: string | null;
  action: string;
  /** The row's id (the new resourceVersion); 0n in a dry run, where nothing is inserted. */
  id: bigint;
}

interface UnitOfWork {
  client: PrismaClient;
  dryRun: boolean;
  changes: RecordedChange[];
}

const storage = new AsyncLocalStorage<UnitOfWork>();

/** The client bound to the current unit of work's transaction, or undefined outside one. */
export function unitOfWorkClient(): PrismaClient | undefined {
  return storage.getStore()?.client;
}

/** The change-log rows appended so far in the current unit of work (empty outside one). */
export function unitOfWorkChanges(): readonly RecordedChange[] {
  return storage.getStore()?.changes ?? [];
}

/** Whether the caller runs inside a dry-run unit of work. */
export function inDryRun(): boolean {
  return storage.getStore()?.dryRun ?? false;
}

class DryRunRollback extends Error {
  override name = "DryRunRollback";
}

export interface UnitOfWorkOptions {
  dryRun: boolean;
  /** How long the whole unit may take before Prisma aborts it (default 30 s). */
  timeoutMs?: number;
}

export interface UnitOfWorkResult<T> {
  result: T;
  /** The change-log rows the unit's services appended, in order. */
  changes: RecordedChange[];
}

type Delegate = Record<string | symbol, unknown>;

function changeLogDelegate(delegate: Delegate, unit: Omit<UnitOfWork, "client">): Delegate {
  return new Proxy(delegate, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== "create" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (args: { data: Record<string, unknown> }) => {
        const data = args.data;
        const change = {
          kind: String(data.kind),
          objectId: String(data.objectId),
          accountId: typeof data.accountId === "string" ? data.accountId : null,
          action: String(data.action),
        };
        if (unit.dryRun) {
          unit.changes.push({ ...change, id: 0n });
          return { id: 0n };
        }
        const row = (await value.call(target, args)) as { id?: bigint };
        unit.changes.push({ ...change, id: row.id ?? 0n });
        return row;
      };
    },
  });
}

/** The unit's view of a transaction client: `$transaction` joins it, the change log is watched. */
function unitClient(tx: object, unit: Omit<UnitOfWork, "client">): PrismaClient {
  const client: PrismaClient = new Proxy(tx as PrismaClient, {
    get(target, property) {
      if (property === "$transaction") {
        return (arg: unknown) =>
          typeof arg === "function"
            ? (arg as (c: PrismaClient) => Promise<unknown>)(client)
            : Promise.all(arg as Promise<unknown>[]);
      }
      const value: unknown = Reflect.get(target, property, target);
      if (property === "changeLog" && value && typeof value === "object") {
        return changeLogDelegate(value as Delegate, unit);
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return client;
}

/**
 * Runs `work` with every `prisma` use inside it on one transaction of `base`, committed at the
 * end (rolled back on any error, and always in a dry run). Units do not nest.
 */
export async function runUnitOfWork<T>(
  base: PrismaClient,
  options: UnitOfWorkOptions,
  work: () => Promise<T>,
): Promise<UnitOfWorkResult<T>> {
  if (storage.getStore()) throw new Error("runUnitOfWork: units of work do not nest");
  const changes: RecordedChange[] = [];
  let outcome: { value: T } | undefined;
  try {
    await base.$transaction(
      async (tx) => {
        const unit = { dryRun: options.dryRun, changes };
        const value = await storage.run({ ...unit, client: unitClient(tx, unit) }, work);
        outcome = { value };
        if (options.dryRun) throw new DryRunRollback();
      },
      // Read committed, as the services that choose a level do: their locking reads take no gap
      // locks, and checks after a lock see the latest committed rows.
      { isolationLevel: "ReadCommitted", timeout: options.timeoutMs ?? 30_000, maxWait: 10_000 },
    );
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  if (!outcome) throw new Error("runUnitOfWork: the transaction ended without a result");
  return { result: outcome.value, changes };
}
