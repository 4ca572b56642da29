export default function ProjectsPage() {
  return (
    <section>
      <h1 className="text-2xl font-semibold">Projects</h1>
      <p className="mt-2 text-slate-600">No projects yet.</p>
    </section>
  );
}
