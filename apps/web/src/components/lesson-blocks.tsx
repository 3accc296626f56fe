import type { Block, Inline } from "@cookbook/content";
import { highlight } from "sugar-high";

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((inline, i) =>
        inline.kind === "link" ? (
          <a key={i} href={inline.href} target="_blank" rel="noopener noreferrer">
            {inline.text}
          </a>
        ) : (
          <span key={i}>{inline.text}</span>
        ),
      )}
    </>
  );
}

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case "paragraph":
      return (
        <p>
          <Inlines inlines={block.inlines} />
        </p>
      );
    case "heading":
      return <h3>{block.text}</h3>;
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Inlines inlines={item} />
        </li>
      ));
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case "table":
      return (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {block.header.map((h, i) => (
                  <th key={i}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case "figure":
      return (
        <figure>
          <div className="figure-placeholder" aria-hidden="true">
            {block.label}
          </div>
          <figcaption>
            <strong>{block.label}:</strong> <Inlines inlines={block.caption} />
          </figcaption>
        </figure>
      );
    case "code":
      return (
        <pre className="code" data-language={block.language ?? undefined}>
          {/* sugar-high escapes the source and returns only its own <span> markup. */}
          <code dangerouslySetInnerHTML={{ __html: highlight(block.code) }} />
        </pre>
      );
  }
}

export function LessonBlocks({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((block, i) => (
        <BlockView key={i} block={block} />
      ))}
    </>
  );
}
