/**
 * The dashboard's only way to the server: the public API under /api/v1, with the bearer token.
 * The access token lives in memory only; the refresh token in sessionStorage (this tab), so a
 * reload can get a fresh access token. A 401 refreshes once (the refresh token rotates: the answer's
 * `refresh` replaces it); when that fails too the session is over and the app shows the sign-in page
 * with the page's place kept (`onSessionEnded`).
 */
export const API = "/api/v1";
const REFRESH_KEY = "cc.staff.refresh";

export interface User {
  id: string;
  phone: string;
  name: string;
  user_type: "citizen" | "admin" | "super_admin" | "service_provider";
  ward_number: string | null;
}

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public details?: Record<string, string[]>) {
    super(message);
  }
}

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let sessionEnded: () => void = () => undefined;
let lang = "en";

export const STAFF_TYPES = ["admin", "super_admin", "service_provider"];
export const setLanguage = (l: string) => (lang = l);
export const onSessionEnded = (fn: () => void) => (sessionEnded = fn);
export const currentToken = () => accessToken;
export const hasRefreshToken = () => !!sessionStorage.getItem(REFRESH_KEY);

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as { error?: string; code?: string; details?: Record<string, string[]> };
  return new ApiError(status, b.code ?? "error", b.error ?? `HTTP ${status}`, b.details);
}

export async function login(phone: string, password: string): Promise<User> {
  const res = await fetch(`${API}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": lang },
    body: JSON.stringify({ phone, password }),
  });
  const body = (await parse(res)) as { access_token: string; refresh_token: string; user: User };
  if (!res.ok) throw toError(res.status, body);
  if (!STAFF_TYPES.includes(body.user.user_type)) {
    // Not staff: give the tokens back at once and refuse.
    await fetch(`${API}/auth/logout`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${body.access_token}` }, body: JSON.stringify({ refresh_token: body.refresh_token }) }).catch(() => undefined);
    throw new ApiError(403, "not_staff", "not_staff");
  }
  accessToken = body.access_token;
  sessionStorage.setItem(REFRESH_KEY, body.refresh_token);
  return body.user;
}

/** Rotates the refresh token; false when the session cannot be continued. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = sessionStorage.getItem(REFRESH_KEY);
    if (!token) return false;
    try {
      const res = await fetch(`${API}/auth/refresh`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ refresh: token }) });
      if (!res.ok) {
        sessionStorage.removeItem(REFRESH_KEY);
        return false;
      }
      const body = (await res.json()) as { access: string; refresh: string };
      accessToken = body.access;
      sessionStorage.setItem(REFRESH_KEY, body.refresh);
      return true;
    } catch {
      return false;
    }
  })().finally(() => (refreshing = null));
  return refreshing;
}

export async function logout(): Promise<void> {
  const token = sessionStorage.getItem(REFRESH_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
  if (token && accessToken) await api("POST", "/auth/logout", { refresh_token: token }).catch(() => undefined);
  accessToken = null;
}

export function endSession(): void {
  accessToken = null;
  sessionStorage.removeItem(REFRESH_KEY);
}

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": lang };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** One API call; a 401 refreshes the session once, then gives up and returns to sign-in. */
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  if (res.status === 401) {
    if (await refresh()) res = await send(method, path, body);
    if (res.status === 401) {
      endSession();
      sessionEnded();
      throw toError(401, await parse(res));
    }
  }
  const parsed = await parse(res);
  if (!res.ok) throw toError(res.status, parsed);
  return parsed as T;
}

export const get = <T = any>(path: string) => api<T>("GET", path);

/** An image (or other bytes) behind the bearer token, as an object URL. */
export async function blobUrl(url: string): Promise<string> {
  const path = url.startsWith("http") ? new URL(url).pathname + new URL(url).search : url;
  let res = await fetch(path, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (res.status === 401 && (await refresh())) res = await fetch(path, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!res.ok) throw new ApiError(res.status, "image", `HTTP ${res.status}`);
  return URL.createObjectURL(await res.blob());
}

/** Downloads a file behind the bearer token (e.g. a report's signed link) and saves it; returns its size. */
export async function download(url: string, filename: string): Promise<number> {
  const href = await blobUrl(url);
  const size = (await (await fetch(href)).blob()).size;
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return size;
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
