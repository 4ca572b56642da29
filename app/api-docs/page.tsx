import { openapi } from '@/server/api/openapi';

export const metadata = { title: 'API · DAgger Studio' };

/** A readable page generated from the same OpenAPI object the API serves. */
export default function ApiDocs() {
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-2xl font-semibold">{openapi.info.title}</h1>
      <p className="mt-2 text-slate-700">{openapi.info.description}</p>
      <p className="mt-2 text-sm">
        Machine-readable: <a className="text-indigo-700 underline" href="/api/openapi.json">/api/openapi.json</a>
      </p>
      {Object.entries(openapi.paths).map(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => (
          <section key={`${method} ${path}`} className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="font-mono text-sm">
              <span className="mr-2 rounded bg-slate-800 px-1.5 py-0.5 text-white uppercase">{method}</span>
              {path}
            </h2>
            <p className="mt-2 font-medium">{op.summary}</p>
            <p className="mt-1 text-sm text-slate-600">{op.description}</p>
            <p className="mt-2 text-xs text-slate-500">Responses: {Object.keys(op.responses).join(', ')}</p>
          </section>
        )),
      )}
      <section className="mt-6">
        <h2 className="font-medium">Example clients</h2>
        <p className="mt-2 text-sm text-slate-700">
          Both pull the deployed policy (keeping it between calls with its ETag), run it in a local CartPole-v1 and post each episode as a
          rollout. Replace their environment with your simulator.
        </p>
        <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
          {`# TypeScript, with onnxruntime-node
npx tsx examples/external-client.ts --url <this server> --project <id> --token dst_… --episodes 2
# Python 3.9+, standard library only (the ONNX file is evaluated in pure Python)
python3 examples/external_client.py --url <this server> --project <id> --token dst_… --episodes 2 --cache .policy-cache`}
        </pre>
      </section>
      <section className="mt-6">
        <h2 className="font-medium">Rollout body</h2>
        <ul className="mt-2 list-disc pl-6 text-sm">
          {Object.entries(openapi.components.schemas.Rollout.properties).map(([k, v]) => (
            <li key={k}>
              <code>{k}</code>
              {'description' in v ? ` — ${v.description}` : ''}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
