import { useState } from "preact/hooks";
import { ApiError, login } from "../api";
import { signedIn } from "../session";
import { setLang, useAppState } from "../state";

export function Login() {
  const { t, lang, notice } = useAppState();
  const [phone, setPhone] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signedIn(await login(phone.trim(), password));
    } catch (err) {
      if (err instanceof ApiError && err.code === "not_staff") setError(t.notStaff);
      else if (err instanceof ApiError && err.status === 401) setError(t.badCredentials);
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form class="card" onSubmit={submit} data-testid="login-form">
        <div class="row between">
          <h1>{t.signInTitle}</h1>
          <button type="button" class="ghost" data-testid="lang-switch" lang={lang === "en" ? "bn" : "en"} onClick={() => setLang(lang === "en" ? "bn" : "en")}>{t.language}</button>
        </div>
        {notice === "sessionExpired" && <p class="info" data-testid="session-expired">{t.sessionExpired}</p>}
        <label>{t.phone}<input name="phone" type="tel" autocomplete="username" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} placeholder="+8801XXXXXXXXX" /></label>
        <label>{t.password}<input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
        {error && <p class="error" role="alert" data-testid="login-error">{error}</p>}
        <button type="submit" disabled={busy} data-testid="login-submit">{t.signIn}</button>
      </form>
    </div>
  );
}
