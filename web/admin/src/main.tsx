/**
 * The staff dashboard: sign-in, then the pages of the city's staff, every action through the
 * public API (/api/v1). Routes live under /admin/ (history API; the Worker answers index.html for
 * any /admin/<route>, so reloads and deep links work).
 */
import "@fontsource/noto-sans-bengali/400.css";
import "@fontsource/noto-sans-bengali/600.css";
import "./styles.css";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { get, hasRefreshToken, logout, onSessionEnded, refresh, STAFF_TYPES, type User } from "./api";
import { signedIn } from "./session";
import { Login } from "./pages/login";
import { Overview } from "./pages/overview";
import { ComplaintDetail, Complaints } from "./pages/complaints";
import { MapPage } from "./pages/map";
import { Emergencies } from "./pages/emergencies";
import { Notices } from "./pages/notices";
import { Reports } from "./pages/reports";
import { Staff } from "./pages/staff";
import { setLang, state, update, useAppState } from "./state";
import { Link } from "./ui";

onSessionEnded(() => {
  if (state.user) update({ user: null, notice: "sessionExpired" });
});

const NAV: [string, keyof ReturnType<typeof useAppState>["t"]][] = [
  ["/", "overview"],
  ["/complaints", "complaints"],
  ["/map", "map"],
  ["/emergencies", "emergencies"],
  ["/notices", "notices"],
  ["/reports", "reports"],
  ["/staff", "adminUsers"],
];

function Page({ route }: { route: string }) {
  const path = route.split("?")[0]!;
  const m = path.match(/^\/complaints\/([0-9a-f-]{36})$/);
  if (m) return <ComplaintDetail id={m[1]!} />;
  switch (path) {
    case "/complaints":
      return <Complaints />;
    case "/map":
      return <MapPage />;
    case "/emergencies":
      return <Emergencies />;
    case "/notices":
      return <Notices />;
    case "/reports":
      return <Reports />;
    case "/staff":
      return <Staff />;
    default:
      return <Overview />;
  }
}

function App() {
  const s = useAppState();
  const [booting, setBooting] = useState(hasRefreshToken());
  const [menu, setMenu] = useState(false);
  useEffect(() => {
    if (!booting) return;
    // A reload: the access token was in memory only; the refresh token (this tab) gets a new one.
    (async () => {
      if (await refresh()) {
        const me = await get<User>("/auth/me").catch(() => null);
        if (me && STAFF_TYPES.includes(me.user_type)) await signedIn(me);
      }
    })().finally(() => setBooting(false));
  }, []);
  useEffect(() => setMenu(false), [s.route]);
  if (booting) return <p class="muted boot">{s.t.loading}</p>;
  if (!s.user) return <Login />;
  const section = "/" + (s.route.split("?")[0]!.split("/")[1] ?? "");
  return (
    <div class="shell">
      <header class="top">
        <button class="menu-btn" aria-label="menu" onClick={() => setMenu(!menu)}>☰</button>
        <strong class="brand">{s.t.app}</strong>
        <span class="spacer" />
        <span class="who" data-testid="who">{s.user.name} · {s.user.user_type}</span>
        <button class="ghost" data-testid="lang-switch" lang={s.lang === "en" ? "bn" : "en"} onClick={() => setLang(s.lang === "en" ? "bn" : "en")}>{s.t.language}</button>
        <button
          class="ghost"
          data-testid="sign-out"
          onClick={async () => {
            await logout();
            update({ user: null, notice: null });
          }}
        >
          {s.t.signOut}
        </button>
      </header>
      <nav class={`side ${menu ? "open" : ""}`}>
        {NAV.filter(([to]) => to !== "/staff" || s.user!.user_type === "super_admin").map(([to, key]) => (
          <Link to={to} testid={`nav-${to.slice(1) || "overview"}`} class={section === to ? "active" : ""}>{s.t[key] as string}</Link>
        ))}
        <a href="/api/v1/docs" target="_blank" rel="noopener">{s.t.apiDocs} ↗</a>
      </nav>
      <main class="content" lang={s.lang}>
        <Page route={s.route} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById("root")!);
