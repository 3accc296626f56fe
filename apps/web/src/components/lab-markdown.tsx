import { parseLabMarkdown, splitInlines } from "~/lib/lab-markdown";

function Inline({ text }: { text: string }) {
  return (
    <>
      {splitInlines(text).map((part, i) => {
        switch (part.kind) {
          case "code":
            return <code key={i}>{part.text}</code>;
          case "strong":
            return <strong key={i}>{part.text}</strong>;
          case "em":
            return <em key={i}>{part.text}</em>;
          case "link":
            return (
              <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
                {part.text}
              </a>
            );
          default:
            return <span key={i}>{part.text}</span>;
        }
      })}
    </>
  );
}

/** Lab text (summary, instructions, hints) in the Markdown subset of `parseLabMarkdown`. */
export function LabMarkdown({ text }: { text: string }) {
  return (
    <div className="lab-markdown">
      {parseLabMarkdown(text).map((block, i) => {
        switch (block.kind) {
          case "heading":
            return (
              <h4 key={i}>
                <Inline text={block.text} />
              </h4>
            );
          case "code":
            return (
              <pre key={i} className="code">
                <code>{block.code}</code>
              </pre>
            );
          case "list": {
            const items = block.items.map((item, j) => (
              <li key={j}>
                <Inline text={item} />
              </li>
            ));
            return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          default:
            return (
              <p key={i}>
                <Inline text={block.text} />
              </p>
            );
        }
      })}
    </div>
  );
}

/** One line of Markdown (a hint, a feedback line) without a paragraph around it. */
export function LabInlineMarkdown({ text }: { text: string }) {
  return <Inline text={text} />;
}
