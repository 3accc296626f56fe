import { parseLabMarkdown, shellLanguages, splitInlines } from "~/lib/lab-markdown";
import { CodeBlockActions } from "./code-block-actions";

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

/**
 * Lab text (summary, instructions, hints) in the Markdown subset of `parseLabMarkdown`. Code
 * blocks can be copied; with `terminal` (one is open beside them), shell code can be run in it.
 */
export function LabMarkdown({ text, terminal = false }: { text: string; terminal?: boolean }) {
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
              <div key={i} className="code-block">
                <pre className="code">
                  <code>{block.code}</code>
                </pre>
                <CodeBlockActions code={block.code} runnable={terminal && shellLanguages.has(block.lang)} />
              </div>
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
