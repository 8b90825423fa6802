// Expected failures of a request -> HTTP status, in one table. Handlers throw a Problem with a code;
// the app's one error handler renders it as JSON under /api and as a page elsewhere.

export const STATUS = {
  not_found: 404,
  invalid_parameter: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  too_many_requests: 429,
  bad_gateway: 502,
} as const;

export type ProblemCode = keyof typeof STATUS;

export class Problem extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what: string): Problem => new Problem('not_found', what);

/** A people/ action's failure as HTTP: forbidden 403, not found 404, conflict 409, anything else 400. */
export function problemFrom(e: { code: string; message?: string }): Problem {
  const code = e.code === 'forbidden' ? 'forbidden' : e.code === 'not_found' ? 'not_found' : e.code === 'conflict' ? 'conflict' : 'bad_request';
  return new Problem(code, e.message ?? (code === 'not_found' ? 'Not found.' : 'That did not work.'));
}
