/** A plain HTML index of the operations, self-contained: no script, no stylesheet from elsewhere. */
import type { OpenApiDocument } from './openapi-document';

export function renderDocsPage(document: OpenApiDocument): string {
  const rows = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(
      ([method, operation]) =>
        `<tr><td>${escape(operation.tags.join(', '))}</td><td><code>${method.toUpperCase()}</code></td>` +
        `<td><code>${escape(path)}</code></td><td>${escape(operation.summary)}</td></tr>`,
    ),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Visage API</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; }
td, th { border-bottom: 1px solid #ddd; padding: 0.3rem 0.8rem; text-align: left; }
</style>
</head>
<body>
<h1>Visage API</h1>
<p>${escape(String((document.info as { description: string }).description))}</p>
<p>The full description: <a href="openapi.json">openapi.json</a> (OpenAPI ${escape(String(document.openapi))}).</p>
<table>
<thead><tr><th>dialect</th><th>method</th><th>path</th><th>operation</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
