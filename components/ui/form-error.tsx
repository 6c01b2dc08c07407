/**
 * A form's error that belongs to no single field (e.g. a limit it would exceed), shown above the
 * fields. Renders nothing without a message.
 */
export function FormError({ message, testId }: { message: string | null; testId: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400" data-testid={testId}>
      {message}
    </p>
  );
}
