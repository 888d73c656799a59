/** Small shared pieces: links, loading/error boxes, the data hook. */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { BASE, navigate, useAppState } from "./state";

export function Link(props: { to: string; children: ComponentChildren; class?: string; testid?: string }) {
  return (
    <a
      href={BASE + props.to}
      class={props.class}
      data-testid={props.testid}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

export function useData<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string | null; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: unknown) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => void (live = false);
  }, [...deps, tick]);
  return { data, error, loading, reload: () => setTick((n) => n + 1) };
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const details = e.details ? " " + Object.entries(e.details).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ") : "";
    return e.message + details;
  }
  return e instanceof Error ? e.message : String(e);
}

export function Status(props: { loading: boolean; error: string | null }) {
  const { t } = useAppState();
  if (props.error) return <p class="error" role="alert">{t.error}: {props.error}</p>;
  if (props.loading) return <p class="muted">{t.loading}</p>;
  return null;
}

export function Card(props: { title?: string; children: ComponentChildren; class?: string; testid?: string }) {
  return (
    <section class={`card ${props.class ?? ""}`} data-testid={props.testid}>
      {props.title && <h2>{props.title}</h2>}
      {props.children}
    </section>
  );
}

export const fmtDate = (iso: string | null | undefined, lang: string) =>
  iso ? new Date(iso).toLocaleString(lang === "bn" ? "bn-BD" : "en-GB", { timeZone: "Asia/Dhaka", dateStyle: "medium", timeStyle: "short" }) : "—";
