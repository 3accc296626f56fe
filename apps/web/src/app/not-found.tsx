import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card narrow stack">
      <h1>Not found</h1>
      <p>This page does not exist, or it belongs to an organisation you are not in.</p>
      <Link href="/home">Back to your courses</Link>
    </div>
  );
}
