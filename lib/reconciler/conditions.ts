/**
 * Conditions as every Sitepod kind stores them (Ready, Progressing, Degraded, ...), in the shape of
 * Kubernetes' own: one module for sites, accounts and every kind that follows.
 */
import { type Condition, conditionsSchema } from "@/lib/views";

export type ConditionInput = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

/** Conditions as stored; anything unreadable counts as none (the next write repairs it). */
export function parseConditions(value: unknown): Condition[] {
  const parsed = conditionsSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/**
 * The next conditions: lastTransitionTime moves only when a condition's status changes, as in
 * Kubernetes, so "Ready since" stays meaningful across reconciles.
 */
export function mergeConditions(
  existing: Condition[],
  next: ConditionInput[],
  observedGeneration: number,
  now: Date,
): Condition[] {
  return next.map((c) => {
    const prev = existing.find((e) => e.type === c.type);
    const lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime : now.toISOString();
    return { ...c, lastTransitionTime, observedGeneration };
  });
}

function sameCondition(a: Condition, b: Condition | undefined): boolean {
  return (
    b !== undefined &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.message === b.message &&
    a.lastTransitionTime === b.lastTransitionTime &&
    a.observedGeneration === b.observedGeneration &&
    a.logs === b.logs
  );
}

/** Whether `next` differs from `current` in any condition. */
export function conditionsChanged(current: Condition[], next: Condition[]): boolean {
  if (current.length !== next.length) return true;
  return next.some(
    (c) =>
      !sameCondition(
        c,
        current.find((e) => e.type === c.type),
      ),
  );
}
