export type ThemePreference = "light" | "dark" | "system";

export const THEME_STORAGE_KEY = "sitepod-theme";

/** Switched on for one frame while the theme changes: otherwise every colour fades on its own. */
const NO_TRANSITIONS_CSS = "*,*::before,*::after{transition:none!important}";

/**
 * Runs in <head> before the first paint, so that a dark-mode user never sees a white flash, and
 * follows a change of the system theme from then on, on every page (the 404 and error pages have no
 * theme toggle). Kept as a string because it must run before React loads. A change switches off
 * transitions for a frame, as applyTheme does.
 */
export const themeScript = `(function(){try{var m=window.matchMedia("(prefers-color-scheme: dark)");var t=function(){var p=localStorage.getItem("${THEME_STORAGE_KEY}");document.documentElement.classList.toggle("dark",p==="dark"||(p!=="light"&&m.matches));};t();m.addEventListener("change",function(){var f=document.createElement("style");f.textContent="${NO_TRANSITIONS_CSS}";document.head.appendChild(f);t();window.getComputedStyle(document.documentElement).getPropertyValue("color");requestAnimationFrame(function(){f.remove();});});}catch(e){}})();`;

export function applyTheme(preference: ThemePreference): void {
  const dark =
    preference === "dark" ||
    (preference === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  const freeze = document.createElement("style");
  freeze.textContent = NO_TRANSITIONS_CSS;
  document.head.appendChild(freeze);
  document.documentElement.classList.toggle("dark", dark);
  // Reading a computed style flushes the change before transitions come back.
  window.getComputedStyle(document.body).getPropertyValue("color");
  requestAnimationFrame(() => freeze.remove());
}
