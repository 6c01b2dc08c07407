export type ThemePreference = "light" | "dark" | "system";

export const THEME_STORAGE_KEY = "sitepod-theme";

/**
 * Runs in <head> before the first paint, so that a dark-mode user never sees a white flash. Kept as a
 * string because it must run before React loads.
 */
export const themeScript = `(function(){try{var p=localStorage.getItem("${THEME_STORAGE_KEY}");var d=p==="dark"||((p!=="light")&&window.matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

export function applyTheme(preference: ThemePreference): void {
  const dark =
    preference === "dark" ||
    (preference === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  // Without this, every element with a colour transition fades separately and the page flickers.
  const freeze = document.createElement("style");
  freeze.textContent = "*,*::before,*::after{transition:none!important}";
  document.head.appendChild(freeze);
  document.documentElement.classList.toggle("dark", dark);
  // Reading a computed style flushes the change before transitions come back.
  window.getComputedStyle(document.body).getPropertyValue("color");
  requestAnimationFrame(() => freeze.remove());
}
