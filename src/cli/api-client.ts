/**
 * The CLI's way in: the back office's HTTP API (src/console/api), authenticated by the person's own API
 * token (NEUTRIX_API_TOKEN). The CLI holds no Temporal credentials, no codec keys and no ledger: who acts,
 * with which role, is the token's person, decided by the server.
 */
import type { ApiErrorBody } from '../backoffice/api-error';

export type { ApiErrorBody };

/** The API answered a refusal or an error (its JSON body); `status` 0: it could not be reached. */
export class ApiFailure extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
  get status() {
    return this.body.status;
  }
}

export interface Api {
  /** The base URL the CLI calls (for messages). */
  readonly url: string;
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T>;
  /** A binary answer (a PDF) with its headers. */
  bytes(path: string, query?: Record<string, string | number | undefined>): Promise<{ data: Uint8Array; headers: Headers }>;
  /** A text answer, decoded (a byte order mark is dropped: read a CSV for Excel with bytes). */
  text(path: string, query?: Record<string, string | number | undefined>): Promise<string>;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** `lang`: the language the back office answers refusals in (NEUTRIX_LANG=ja; English by default). */
export function apiClient(baseUrl: string, token: string | undefined, fetchFn: Fetch = fetch, lang: 'ja' | 'en' = 'en'): Api {
  const base = baseUrl.replace(/\/+$/, '');
  const call = async (method: string, path: string, query?: Record<string, string | number | undefined>, body?: unknown): Promise<Response> => {
    if (!token)
      throw new ApiFailure({
        status: 401,
        code: 'unauthenticated',
        message:
          "NEUTRIX_API_TOKEN is not set: make a personal API token on the console's People page (API tokens), or with the system stopped: npm run console:admin -- <login> --api-token",
      });
    const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined) as Array<[string, string | number]>;
    const url = `${base}${path}${q.length ? `?${new URLSearchParams(q.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : ''}`;
    let res: Response;
    try {
      res = await fetchFn(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'accept-language': lang,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiFailure({
        status: 0,
        code: 'unreachable',
        message: `cannot reach the back office at ${base}: ${cause?.code ?? cause?.message ?? (err as Error).message} (is 'npm start' running? NEUTRIX_API_URL names another one)`,
      });
    }
    if (res.ok) return res;
    const text = await res.text();
    let parsed: { error?: ApiErrorBody } = {};
    try {
      parsed = JSON.parse(text) as { error?: ApiErrorBody };
    } catch {
      // not the API's JSON (a proxy's page): the status says enough
    }
    throw new ApiFailure(parsed.error ?? { status: res.status, code: 'http', message: `${res.status} ${res.statusText}` });
  };
  return {
    url: base,
    get: async <T>(path: string, query?: Record<string, string | number | undefined>) => (await (await call('GET', path, query)).json()) as T,
    send: async <T>(method: 'POST' | 'PUT', path: string, body: unknown) => (await (await call(method, path, undefined, body)).json()) as T,
    bytes: async (path: string, query?: Record<string, string | number | undefined>) => {
      const res = await call('GET', path, query);
      return { data: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
    },
    text: async (path: string, query?: Record<string, string | number | undefined>) => (await call('GET', path, query)).text(),
  };
}
