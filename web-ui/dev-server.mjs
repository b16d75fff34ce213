// For working on the UI: serves the built bundle (target/classes/META-INF/resources) and proxies
// /api and /q to a running query-service. `npm run dev -- --api=http://127.0.0.1:8080 --port=5173`
// (rebuild with `npm run bundle` after a change).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const api = new URL(args.api ?? 'http://127.0.0.1:8080');
const port = Number(args.port ?? 5173);
const root = 'target/classes/META-INF/resources';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.txt': 'text/plain' };

http.createServer(async (req, res) => {
  if (req.url.startsWith('/api/') || req.url.startsWith('/q/')) {
    const upstream = http.request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    upstream.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    req.pipe(upstream);
    return;
  }
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  try {
    const file = path === '/' ? 'index.html' : path;
    const body = await readFile(join(root, file));
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(await readFile(join(root, 'index.html')));
  }
}).listen(port, '127.0.0.1', () => console.log(`web-ui dev server on http://127.0.0.1:${port}/ -> API ${api.origin}`));
