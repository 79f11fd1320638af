// The server's JSON shapes (see src/hashlake/serve/json.h) and the live event stream.

export interface HashtagCount {
  hashtag: string;
  count: number;
}

export interface TopHashtags {
  window_start: string;
  window_end: string;
  window_seconds: number;
  posts: number;
  top: HashtagCount[];
}

export interface Health {
  status: string;
  uptime_seconds: number;
  posts_ingested: number;
  posts_rejected: number;
  lag_ms: number;
  tables: Record<string, number>;
  server: { sse_clients: number };
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface StreamHandlers {
  top(data: TopHashtags): void;
  health(data: Health): void;
  state(state: ConnectionState, detail?: string): void;
}

/**
 * /api/stream as typed callbacks. EventSource reconnects by itself after a dropped
 * connection; when the server refuses the stream outright (readyState CLOSED, e.g. a 503)
 * this retries on its own timer, so the page recovers once the server is back.
 */
export class LiveStream {
  private source: EventSource | null = null;
  private retryTimer: number | undefined;
  private closed = false;

  constructor(
    private readonly params: Record<string, string>,
    private readonly handlers: StreamHandlers,
  ) {
    this.open();
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
  }

  private open(): void {
    if (this.closed) return;
    const query = new URLSearchParams(this.params).toString();
    const source = new EventSource(`/api/stream?${query}`);
    this.source = source;
    this.handlers.state('connecting');
    source.onopen = () => this.handlers.state('live');
    source.addEventListener('top', (event) => {
      this.handlers.top(JSON.parse((event as MessageEvent).data) as TopHashtags);
    });
    source.addEventListener('health', (event) => {
      this.handlers.health(JSON.parse((event as MessageEvent).data) as Health);
    });
    source.addEventListener('failure', (event) => {
      const data = JSON.parse((event as MessageEvent).data) as { error: string };
      this.handlers.state('live', data.error);
    });
    source.onerror = () => {
      if (this.closed) return;
      if (source.readyState === EventSource.CLOSED) {
        this.handlers.state('closed', 'The server refused the live stream; retrying in 5 s…');
        source.close();
        this.retryTimer = window.setTimeout(() => this.open(), 5000);
      } else {
        this.handlers.state('reconnecting', 'Lost the connection to the live stream — reconnecting…');
      }
    };
  }
}

/** Fetches JSON, turning the server's {"error": ...} bodies into exceptions. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error ?? `${response.status} ${response.statusText}`);
  return body as T;
}
