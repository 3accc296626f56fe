/** What an item is called in lists: chapters by number, labs as labs. */
export function itemLabel(item: { kind: "chapter" | "lab"; chapterNumber: number; title: string }): string {
  return item.kind === "lab" ? `Lab: ${item.title}` : `Chapter ${item.chapterNumber}: ${item.title}`;
}

/** Done / Late / Overdue / Closed as short labels beside an item; the words themselves carry the meaning. */
export function ItemBadges({
  item,
}: {
  item: { done: boolean; late: boolean; overdue?: boolean; state: "locked" | "open" | "closed"; extensionDays?: number };
}) {
  return (
    <>
      {item.state === "locked" && (
        <span className="badge locked" role="img" aria-label="Locked">
          🔒 Locked
        </span>
      )}
      {item.done && <span className="badge done current">Done</span>}
      {item.late && <span className="badge late updated">Late</span>}
      {item.overdue && <span className="badge overdue updated">Overdue</span>}
      {item.state === "closed" && <span className="badge closed">Closed</span>}
      {item.extensionDays !== undefined && item.extensionDays > 0 && (
        <span className="badge extension">
          +{item.extensionDays} day{item.extensionDays === 1 ? "" : "s"} extension
        </span>
      )}
    </>
  );
}
