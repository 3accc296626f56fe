import { freePort } from "@cookbook/db/testing/free-port";

/**
 * Loopback ports for the bench's by-hand runs, which start the same servers outside any sandbox
 * (the driver's sandboxes each have an address of their own and use the services' usual ports).
 * Handed-out ports stay reserved until released: two servers started at once could otherwise be
 * given the same kernel-chosen port in the gap before binding.
 */
const reserved = new Set<number>();

async function unreservedFreePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (reserved.has(port)) continue;
    reserved.add(port);
    return port;
  }
}

/** One free loopback port per name, each reserved until releasePorts. */
export async function allocatePorts<const K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const ports: Partial<Record<K, number>> = {};
  for (const name of names) ports[name] = await unreservedFreePort();
  return ports as Record<K, number>;
}

export function releasePorts(ports: Iterable<number>): void {
  for (const port of ports) reserved.delete(port);
}

/** Marks ports of sandboxes found on disk (after a restart) as taken. */
export function reservePorts(ports: Iterable<number>): void {
  for (const port of ports) reserved.add(port);
}
