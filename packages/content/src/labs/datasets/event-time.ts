const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as the labs' datasets write event time: "2016-05-01 08:02:03", UTC, no zone (the book's timestamp format). */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
