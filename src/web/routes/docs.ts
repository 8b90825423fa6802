// /api/docs: the OpenAPI document rendered as a readable page (no client-side viewer needed).
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';

type Param = { name: string; in: string; required?: boolean; description?: string; schema?: { type?: string; default?: unknown; enum?: unknown[] } };
type Operation = { summary?: string; parameters?: Param[]; responses?: Record<string, { description?: string }> };
type OpenApi = { info: { title: string; description?: string }; paths: Record<string, Record<string, Operation>> };

export function apiDocsPage(siteName: string, doc: OpenApi): Html {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const body = html`<div class="page-head"><h1>${doc.info.title}</h1></div>
<div class="prose">
  <p>${doc.info.description ?? ''}</p>
  <p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3). Errors are JSON:
  <code>{"statusCode":400,"error":"Bad Request","message":"date must be a calendar date YYYY-MM-DD, e.g. 2026-06-30","parameter":"date"}</code>.</p>
  ${ops.map(
    ({ path, method, op }) => html`<section class="endpoint">
    <h2><code>${method} ${path}</code></h2>
    <p>${op.summary ?? ''}</p>
    ${op.parameters?.length
      ? html`<div class="table-scroll"><table><thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>
      ${op.parameters.map(
        (p) => html`<tr><td><code>${p.name}</code>${p.required ? ' (required)' : ''}</td><td>${p.in}</td><td>${p.schema?.enum ? p.schema.enum.join(' | ') : (p.schema?.type ?? '')}${p.schema?.default !== undefined ? html` (default <code>${String(p.schema.default)}</code>)` : ''}</td><td>${p.description ?? ''}</td></tr>`,
      )}</tbody></table></div>`
      : ''}
  </section>`,
  )}
</div>`;
  return layout({ title: 'API', siteName, nav: 'none', math: false, body });
}
