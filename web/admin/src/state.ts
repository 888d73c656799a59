/** App-wide state (signed-in user, language, current route) with a tiny subscribe hook, and the router. */
import { useEffect, useState } from "preact/hooks";
import type { User } from "./api";
import { setLanguage } from "./api";
import { strings, type Lang, type Strings } from "./i18n";

export const BASE = "/admin";
const LANG_KEY = "cc.staff.lang";

interface State {
  user: User | null;
  lang: Lang;
  /** Path inside the app, e.g. "/complaints/…" (with its query). */
  route: string;
  notice: string | null;
  enums: Record<string, { value: string; alias: string; en: string; bn: string }[]>;
}

const initialLang: Lang = localStorage.getItem(LANG_KEY) === "bn" ? "bn" : "en";
setLanguage(initialLang);
document.documentElement.lang = initialLang;

export const state: State = { user: null, lang: initialLang, route: currentRoute(), notice: null, enums: {} };
const listeners = new Set<() => void>();

export function update(patch: Partial<State>): void {
  Object.assign(state, patch);
  listeners.forEach((l) => l());
}

export function useAppState(): State & { t: Strings } {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { ...state, t: strings[state.lang] };
}

export function setLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
  setLanguage(lang);
  document.documentElement.lang = lang;
  update({ lang });
}

function currentRoute(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "/";
  return (p || "/") + location.search;
}

export function navigate(route: string, replace = false): void {
  const url = BASE + route;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  update({ route: currentRoute() });
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => update({ route: currentRoute() }));

/** A label of an API enum value (e.g. a complaint status) in the current language. */
export function label(kind: string, value: string | null | undefined): string {
  if (!value) return "—";
  const hit = state.enums[kind]?.find((e) => e.value === value || e.alias === value);
  return hit ? hit[state.lang] : value;
}
