"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="card narrow stack">
      <h1>Something went wrong</h1>
      <p>We could not show this page. Your work is saved; try again in a moment.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
