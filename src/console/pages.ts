import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { CATEGORIES, KINDS } from '../classify/taxonomy';
import { viSla } from '../conversation/catalogue';
import { EVENT_LABELS } from './event-labels';
import { AT_HOTLINE, AT_UNIT, OPEN, STATUS_LABELS } from '../tickets/statuses';

/**
 * The console's pages: one HTML shell per route, the same small ES-module client for all of them
 * (src/console/public/), and nothing inline, so the Content-Security-Policy can forbid inline
 * scripts and styles outright. Everything a page shows comes from /api.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PUBLIC_DIR = [path.join(__dirname, 'public'), path.resolve(process.cwd(), 'src/console/public')].find((d) =>
  fs.existsSync(path.join(d, 'main.js')),
);

/** Route → the page module the client runs (data-page on <body>). */
const PAGES: Array<[string, string]> = [
  // The bare /console sends each role to its home page (main.js); the list itself is /console/tickets.
  ['/', 'list'],
  ['/tickets', 'list'],
  ['/login', 'login'],
  ['/triage', 'triage'],
  ['/unit', 'unit'],
  ['/dashboard', 'dashboard'],
  ['/admin', 'admin'],
  ['/tickets/:code', 'ticket'],
];

export function shell(page: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tổng đài CCHC</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
<link rel="stylesheet" href="/console/assets/console-parts.css">
<script type="module" src="/console/assets/main.js"></script>
</head>
<body data-page="${page}">
<header id="top" class="top"></header>
<main id="main" class="main" aria-live="polite"></main>
</body>
</html>
`;
}

/** Labels the server already owns, served as a module so the client keeps no second copy. */
export function taxonomyModule(): string {
  const out = (name: string, v: object) => `export const ${name} = Object.freeze(${JSON.stringify(v)});\n`;
  return (
    out('CATEGORIES', CATEGORIES) +
    out('KINDS', KINDS) +
    out('STATUS_LABELS', STATUS_LABELS) +
    out('CLOCK_LABELS', viSla.clock) +
    out('EVENT_LABELS', EVENT_LABELS) +
    out('AT_HOTLINE', AT_HOTLINE) +
    out('AT_UNIT', AT_UNIT) +
    out('OPEN', OPEN)
  );
}

const security = (_req: Request, res: Response, next: NextFunction) => {
  res.set({ 'Content-Security-Policy': CONSOLE_CSP, 'Cross-Origin-Opener-Policy': 'same-origin' });
  next();
};

export function createConsoleRouter(): Router {
  const router = express.Router();
  router.use(security);
  for (const [route, page] of PAGES) {
    const html = shell(page);
    router.get(route, (_req, res) => {
      res.set('Cache-Control', 'no-store');
      res.type('html').send(html);
    });
  }
  const taxonomy = taxonomyModule();
  router.get('/assets/taxonomy.js', (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.type('text/javascript').send(taxonomy);
  });
  const files = PUBLIC_DIR ? fs.readdirSync(PUBLIC_DIR).filter((f) => /^[a-z0-9-]+\.(js|css|svg)$/.test(f)) : [];
  for (const file of files) {
    router.get(`/assets/${file}`, (_req, res) => {
      res.sendFile(path.join(PUBLIC_DIR!, file), { headers: { 'Cache-Control': 'no-cache' } });
    });
  }
  return router;
}
