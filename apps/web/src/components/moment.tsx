"use client";

import { formatInZone, isValidTimeZone } from "@cookbook/schedule/zoned-time";
import { useEffect, useState } from "react";

/**
 * An instant as the cohort sees it ("Mon 8 Dec, 09:00 Europe/Berlin"), the same text on the server
 * and in the first client render. The viewer's own zone is only known in the browser, so after
 * hydration a viewer elsewhere also gets their local time: "(10:00 your time)", with the day when
 * it differs from the cohort's ("(Sun 7 Dec, 23:00 your time)").
 *
 * `now` is the reference for "the current year" (the year is only printed when it differs): pass
 * the server clock's time so a moved clock (tests) and the browser agree on the text.
 */
export function Moment({ at, zone, now }: { at: Date | string; zone: string; now?: Date | string }) {
  const atMs = new Date(at).getTime();
  const nowMs = (now === undefined ? new Date() : new Date(now)).getTime();
  const inZone = formatInZone(new Date(atMs), zone, new Date(nowMs));
  const [local, setLocal] = useState<string | null>(null);

  useEffect(() => {
    const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!viewerZone || viewerZone === zone || !isValidTimeZone(viewerZone)) {
      setLocal(null);
      return;
    }
    const mine = formatInZone(new Date(atMs), viewerZone, new Date(nowMs));
    // Same day in both zones: the time alone says it; otherwise the whole date, so nobody misreads the day.
    const sameDay = mine.split(", ")[0] === inZone.split(", ")[0];
    setLocal(sameDay ? (mine.split(", ")[1] ?? mine) : mine);
  }, [atMs, nowMs, zone, inZone]);

  return (
    <>
      <time dateTime={new Date(atMs).toISOString()}>
        {inZone} {zone}
      </time>
      {local && <span className="muted"> ({local} your time)</span>}
    </>
  );
}
