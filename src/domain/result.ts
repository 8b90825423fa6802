// Result<T, E>: the return type of every operation with expected failures. Each module exports its
// closed union of error codes; only web/ maps codes to HTTP statuses.

export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });
