import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LifebuoyIcon } from "@/components/ui/icons";

/**
 * In a support session, instead of what only the person themselves may see or change (their
 * profile, password, two-factor sign-in, sessions, API tokens): the services refuse it anyway
 * (lib/authz/interactive.ts); this says so before anyone tries.
 */
export function PersonalOnlyNotice({ name, what }: { name: string; what: string }) {
  return (
    <Card>
      <EmptyState
        icon={<LifebuoyIcon className="size-6" />}
        title={`Only ${name} can see ${what}`}
        description="A support session acts with their accounts and roles, not as the person: their profile, password, two-factor sign-in, sessions and API tokens stay theirs. End the support session to work as yourself."
      />
    </Card>
  );
}
