/**
 * The one clock the server's time-dependent logic reads (invitation expiry, ...), so tests move
 * time with `setClock` instead of sleeping.
 */
let current: () => Date = () => new Date();

export const now = (): Date => current();

/** Tests only: `setClock(() => new Date(...))`; `setClock(() => new Date())` goes back to real time. */
export function setClock(clock: () => Date): void {
  current = clock;
}
