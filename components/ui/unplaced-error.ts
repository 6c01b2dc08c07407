/**
 * The message a form shows above its fields: a form-level error ("_form"), or the action's message
 * when none of its field errors belongs to a field the form renders (else it would be lost).
 */
export function unplacedError(
  result: { message: string; fieldErrors?: Record<string, string> },
  placed: readonly string[],
): string | null {
  const errors = result.fieldErrors ?? {};
  if (errors._form) return errors._form;
  return Object.keys(errors).some((key) => placed.includes(key)) ? null : result.message;
}
