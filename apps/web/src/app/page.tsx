import Link from "next/link";
import { redirect } from "next/navigation";
import { serverApi } from "~/server/trpc/server-caller";

export default async function Landing() {
  const api = await serverApi();
  if (await api.auth.me()) redirect("/home");
  return (
    <section className="hero">
      <h1>Learn data engineering from The Data Engineering Cookbook</h1>
      <p>
        Read the cookbook as a course, track your progress, and practise on real Apache Kafka, HDFS and Spark. Organisations run self-paced courses
        and instructor-led cohorts with progress dashboards.
      </p>
      <p className="actions">
        <Link className="button" href="/sign-up">
          Create an account
        </Link>{" "}
        <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
