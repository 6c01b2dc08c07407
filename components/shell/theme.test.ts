import { describe, expect, it } from "vitest";
import { THEME_STORAGE_KEY, themeScript } from "./theme";

/** Runs the head script against a page of its own: a class list, a stored preference, a system theme. */
function page(stored: string | null, systemDark: boolean) {
  const classes = new Set<string>();
  const listeners: (() => void)[] = [];
  const media = {
    get matches() {
      return systemDark;
    },
    addEventListener: (_type: string, fn: () => void) => listeners.push(fn),
  };
  const styles: { removed: boolean }[] = [];
  const frames: (() => void)[] = [];
  const document = {
    documentElement: {
      classList: { toggle: (name: string, on: boolean) => (on ? classes.add(name) : classes.delete(name)) },
    },
    head: { appendChild: (el: { removed: boolean }) => styles.push(el) },
    createElement: () => {
      const el = { textContent: "", removed: false, remove: () => (el.removed = true) };
      return el;
    },
  };
  const window = {
    matchMedia: () => media,
    getComputedStyle: () => ({ getPropertyValue: () => "" }),
  };
  const localStorage = { getItem: (key: string) => (key === THEME_STORAGE_KEY ? stored : null) };
  const requestAnimationFrame = (fn: () => void) => frames.push(fn);
  new Function("window", "document", "localStorage", "requestAnimationFrame", themeScript)(
    window,
    document,
    localStorage,
    requestAnimationFrame,
  );
  return {
    dark: () => classes.has("dark"),
    systemChanges(dark: boolean) {
      systemDark = dark;
      for (const fn of listeners) fn();
    },
    nextFrame() {
      for (const fn of frames.splice(0)) fn();
    },
    styles,
  };
}

describe("the head theme script", () => {
  it("applies the stored preference, else the system theme, before the first paint", () => {
    expect(page(null, true).dark()).toBe(true);
    expect(page(null, false).dark()).toBe(false);
    expect(page("light", true).dark()).toBe(false);
    expect(page("dark", false).dark()).toBe(true);
  });

  it("follows a change of the system theme on any page, without transitions for that frame", () => {
    const p = page(null, false);
    p.systemChanges(true);
    expect(p.dark()).toBe(true);
    expect(p.styles).toHaveLength(1);
    expect(p.styles[0]?.removed).toBe(false);
    p.nextFrame();
    expect(p.styles[0]?.removed).toBe(true);
    p.systemChanges(false);
    expect(p.dark()).toBe(false);
  });

  it("keeps a chosen theme when the system theme changes", () => {
    const p = page("light", false);
    p.systemChanges(true);
    expect(p.dark()).toBe(false);
  });
});
