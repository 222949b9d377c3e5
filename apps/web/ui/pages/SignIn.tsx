import { useState, type FormEvent } from "react";
import { IngestApiClient } from "@leukoflow/api-client";
import { ErrorNote } from "../components/ErrorNote.js";

/** Asks for the lab's API key once and checks it against the API before keeping it. */
export function SignIn({ onSignedIn }: { onSignedIn: (apiKey: string) => void }) {
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = apiKey.trim();
    try {
      await new IngestApiClient("", key).listSpecimens({ limit: 1 });
      onSignedIn(key);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <main className="sign-in">
      <h1>LeukoFlow review workstation</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label className="field">
          Lab API key
          <input
            type="password"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            autoComplete="off"
            required
            autoFocus
          />
        </label>
        <p className="hint">Kept in this browser tab only (session storage) until you sign out or close the tab.</p>
        <ErrorNote error={error} />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
