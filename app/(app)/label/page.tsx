export default function LabelPage() {
  return (
    <section>
      <h1 className="text-2xl font-semibold">Label</h1>
      <p className="mt-2 text-slate-600">No tasks are waiting for you.</p>
    </section>
  );
}
