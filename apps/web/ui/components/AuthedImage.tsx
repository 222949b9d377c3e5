import { useEffect, useState } from "react";
import type { IngestApiClient } from "@leukoflow/api-client";

/** An image from the API; <img src> cannot send the API key, so the bytes are fetched and shown as a blob. */
export function AuthedImage({
  api,
  path,
  alt,
  className,
}: {
  api: IngestApiClient;
  path: string;
  alt: string;
  className?: string;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    api.blob(path).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, path]);
  if (failed) return <span className={`image-missing ${className ?? ""}`}>No preview</span>;
  return url ? (
    <img src={url} alt={alt} className={className} onError={() => setFailed(true)} />
  ) : (
    <span className={`image-loading ${className ?? ""}`}>Loading…</span>
  );
}
