import { ClientError, GraphQLClient } from 'graphql-request';

/** One error of a GraphQL response, as a client receives it. */
export interface ResponseError {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** Everything a client gets back from one POST /graphql. */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  /** The raw response body: what a leak would be found in. */
  body: string;
  data: T | null | undefined;
  errors: ResponseError[] | undefined;
}

/**
 * A GraphQL client speaking real HTTP to a listening gateway, the way a
 * storefront or a partner would: graphql-request over fetch, the credential
 * in `Authorization`. Every outcome is returned rather than thrown (a 401, a
 * validation failure, a FORBIDDEN field), so tests assert on status, headers,
 * body and errors alike.
 */
export class GatewayClient {
  private readonly client: GraphQLClient;

  /** `authorization` is the whole header value; `undefined` sends no header at all (anonymous). */
  constructor(
    readonly endpoint: string,
    readonly authorization?: string,
  ) {
    this.client = new GraphQLClient(endpoint, {
      errorPolicy: 'all',
      headers: authorization === undefined ? {} : { authorization },
    });
  }

  /** A client presenting `Authorization: Bearer <token>`. */
  static bearer(endpoint: string, token: string): GatewayClient {
    return new GatewayClient(endpoint, `Bearer ${token}`);
  }

  async request<T = any>(query: string, variables?: Record<string, unknown>): Promise<HttpResult<T>> {
    try {
      const res = await this.client.rawRequest<T>(query, variables);
      return { status: res.status, headers: res.headers, body: res.body, data: res.data, errors: res.errors as ResponseError[] | undefined };
    } catch (error) {
      // Non-2xx answers (401, a 400 validation failure) arrive as ClientError carrying the whole response.
      if (!(error instanceof ClientError)) throw error;
      const res = error.response;
      return {
        status: res.status,
        headers: res.headers,
        body: res.body,
        data: res.data as T | null | undefined,
        errors: res.errors as ResponseError[] | undefined,
      };
    }
  }

  /** Like `request`, but fails the test with the response when it carries any error. */
  async data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.status !== 200 || res.errors !== undefined || res.data === null || res.data === undefined) {
      throw new Error(`expected a clean 200 response, received HTTP ${res.status}: ${res.body}`);
    }
    return res.data;
  }
}

/** The `extensions.code` of each error, in order. */
export const codes = (res: HttpResult): Array<string | undefined> => (res.errors ?? []).map((e) => e.extensions?.code);
