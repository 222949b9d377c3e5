import { useMemo, useState } from "react";
import { IngestApiClient } from "@leukoflow/api-client";
import { ReportPage } from "./pages/ReportPage.js";
import { ReviewQueuePage } from "./pages/ReviewQueuePage.js";
import { SignIn } from "./pages/SignIn.js";
import { SpecimensPage } from "./pages/SpecimensPage.js";
import { UploadPage } from "./pages/UploadPage.js";
import { useRoute } from "./router.js";
import { routeHref, type Route } from "./routes.js";
import { session } from "./session.js";

function NavLink({ to, current, children }: { to: Route; current: Route; children: string }) {
  return (
    <a href={routeHref(to)} aria-current={to.page === current.page ? "page" : undefined}>
      {children}
    </a>
  );
}

export function App() {
  const [apiKey, setApiKey] = useState(session.apiKey);
  const route = useRoute();
  const api = useMemo(() => (apiKey ? new IngestApiClient("", apiKey) : null), [apiKey]);

  if (!api) {
    return (
      <SignIn
        onSignedIn={(key) => {
          session.signIn(key);
          setApiKey(key);
        }}
      />
    );
  }
  return (
    <>
      {/* Moves focus itself: following "#main" would change the hash route. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">LeukoFlow</span>
        <nav aria-label="Main">
          <NavLink to={{ page: "specimens" }} current={route}>
            Specimens
          </NavLink>
          <NavLink to={{ page: "upload" }} current={route}>
            Upload
          </NavLink>
          <NavLink to={{ page: "review-queue" }} current={route}>
            Review queue
          </NavLink>
        </nav>
        <button
          type="button"
          onClick={() => {
            session.signOut();
            setApiKey(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "specimens" ? <SpecimensPage api={api} /> : null}
        {route.page === "upload" ? <UploadPage api={api} /> : null}
        {route.page === "review-queue" ? (
          <ReviewQueuePage key={route.disagreesWith ?? ""} api={api} disagreesWith={route.disagreesWith} />
        ) : null}
        {route.page === "report" ? <ReportPage key={route.specimenId} api={api} specimenId={route.specimenId} /> : null}
      </main>
    </>
  );
}
