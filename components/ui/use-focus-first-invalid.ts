"use client";

import { type RefObject, useCallback, useEffect, useRef, useState } from "react";

/**
 * After a refused submit, takes the person to why: focuses the form's first invalid control (its
 * message is under it and announced with it), or, when no field is to blame, brings the form's
 * alert into view. Without it, someone who pressed Save at the bottom of a long form on a phone
 * sees nothing happen: the messages are above the screen.
 *
 * Returns the function to call when the answer is a refusal. The focus waits until `busy` is
 * false: a control in a disabled fieldset cannot take it.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, busy = false): () => void {
  const [requested, setRequested] = useState(0);
  const handled = useRef(0);
  useEffect(() => {
    if (busy || requested === handled.current) return;
    handled.current = requested;
    const root = form.current;
    if (!root) return;
    const control = root.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (control) {
      control.focus();
      return;
    }
    root.querySelector<HTMLElement>('[role="alert"]')?.scrollIntoView({ block: "center" });
  }, [requested, busy, form]);
  return useCallback(() => setRequested((n) => n + 1), []);
}
