"use client";

import { useEffect, useState } from "react";
import { applyTheme, THEME_STORAGE_KEY, type ThemePreference } from "@/components/shell/theme";
import { cn } from "@/components/ui/cn";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/ui/icons";

const options: { value: ThemePreference; label: string; Icon: typeof SunIcon }[] = [
  { value: "light", label: "Light theme", Icon: SunIcon },
  { value: "dark", label: "Dark theme", Icon: MoonIcon },
  { value: "system", label: "System theme", Icon: MonitorIcon },
];

function readPreference(): ThemePreference {
  const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
  return stored === "light" || stored === "dark" ? stored : "system";
}

export function ThemeToggle() {
  // The server cannot know the stored preference; render "system" first and correct after mount.
  const [preference, setPreference] = useState<ThemePreference>("system");

  // A change of the system theme is followed by the head script (theme.ts), on every page.
  useEffect(() => {
    setPreference(readPreference());
  }, []);

  function choose(value: ThemePreference) {
    setPreference(value);
    if (value === "system") window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, value);
    applyTheme(value);
  }

  return (
    <fieldset className="flex items-center rounded-lg border border-zinc-200 p-0.5 dark:border-zinc-800">
      <legend className="sr-only">Theme</legend>
      {options.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          title={label}
          aria-label={label}
          aria-pressed={preference === value}
          onClick={() => choose(value)}
          className={cn(
            "rounded-md p-1.5 transition-colors",
            preference === value
              ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
              : "text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200",
          )}
        >
          <Icon className="size-4" />
        </button>
      ))}
    </fieldset>
  );
}
