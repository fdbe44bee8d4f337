/**
 * The HTML page of `routes -o html` rendered in a real headless Chromium (Debian's chromium package;
 * scripts/install-chromium.sh installs it when missing). A script added to a copy of the page
 * measures what the browser laid out: every number and every hop of every path is a box of the
 * picture, inside the picture, its text inside its box, overlapping no other box, and every edge
 * joins two drawn boxes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestInventory } from '../../src/cli/routes/command.js';
import { routesHtml } from '../../src/cli/routes/page.js';
import { compareRoutes } from '../../src/domain/routes/compare.js';
import { buildRoutes, type RouteMap } from '../../src/domain/routes/model.js';

const quiet = { write: () => true };

function chromium(): string {
  const named = process.env.CHROMIUM ?? 'chromium';
  try {
    execFileSync('sh', ['-c', `command -v ${named}`], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [join(import.meta.dirname, '../../scripts/install-chromium.sh')], { stdio: 'inherit', timeout: 600_000 });
  }
  return named;
}

/** What the browser drew, as the probe measured it. */
interface Drawn {
  svg: { width: number; height: number };
  nodes: Array<{ id: string; text: string; x: number; y: number; w: number; h: number; textInside: boolean }>;
  edges: Array<{ from: string; to: string; length: number }>;
  pageText: string;
}

const PROBE = `<script>
window.addEventListener('load', () => {
  const svg = document.querySelector('svg.routes');
  const box = svg.getBoundingClientRect();
  const nodes = [...svg.querySelectorAll('g.node')].map((g) => {
    const r = g.getBoundingClientRect();
    const rect = g.querySelector('rect').getBoundingClientRect();
    const text = g.querySelector('text').getBoundingClientRect();
    const inside = text.left >= rect.left && text.right <= rect.right && text.top >= rect.top && text.bottom <= rect.bottom;
    return { id: g.id, text: [...g.querySelectorAll('tspan')].map((t) => t.textContent).join('\\n'), x: r.x - box.x, y: r.y - box.y, w: r.width, h: r.height, textInside: inside };
  });
  const edges = [...svg.querySelectorAll('g.edge')].map((g) => ({ from: g.dataset.from, to: g.dataset.to, length: g.querySelector('path').getTotalLength() }));
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({ svg: { width: box.width, height: box.height }, nodes, edges, pageText: document.body.innerText });
  document.body.appendChild(out);
});
</script>`;

function render(browser: string, html: string): Drawn {
  const dir = mkdtempSync(join(tmpdir(), 'cvo-routes-page-'));
  const file = join(dir, 'routes.html');
  writeFileSync(file, html.replace('</body>', `${PROBE}</body>`));
  const dom = execFileSync(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${file}`], {
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const m = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(dom);
  if (!m) throw new Error(`the probe did not run; the page Chromium returned begins: ${dom.slice(0, 300)}`);
  const text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return JSON.parse(text) as Drawn;
}

/** Every label a path shows: the number, then each hop (rule, application, group, connector, host). */
function pathLabels(map: RouteMap): Array<{ number: string; hops: string[] }> {
  return map.numbers.map((n) => {
    const i = n.inbound;
    const hops: string[] = [];
    if (i.type === 'rules') for (const r of i.rules) hops.push(`SIP rule ${r.key}`, ...r.applications.map((a) => `SIP media application ${a.key}`));
    if (i.type === 'connector') hops.push(`Voice Connector ${i.connector.key}`, ...i.connector.hosts.map((h) => h.host));
    if (i.type === 'group') hops.push(`Voice Connector group ${i.group.key}`, ...i.connectors.flatMap((c) => [`Voice Connector ${c.key}`, ...c.hosts.map((h) => h.host)]));
    return { number: n.e164 ?? n.object ?? n.id, hops };
  });
}

function expectDrawnWell(drawn: Drawn) {
  expect(drawn.nodes.length).toBeGreaterThan(0);
  for (const n of drawn.nodes) {
    expect(n.w, n.text).toBeGreaterThan(0);
    expect(n.textInside, `the text of "${n.text}" overflows its box`).toBe(true);
    expect(n.x, n.text).toBeGreaterThanOrEqual(0);
    expect(n.y, n.text).toBeGreaterThanOrEqual(0);
    expect(n.x + n.w, n.text).toBeLessThanOrEqual(drawn.svg.width + 0.5);
    expect(n.y + n.h, n.text).toBeLessThanOrEqual(drawn.svg.height + 0.5);
  }
  for (const [i, a] of drawn.nodes.entries()) {
    for (const b of drawn.nodes.slice(i + 1)) {
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      expect(overlap, `"${a.text}" and "${b.text}" overlap`).toBe(false);
    }
  }
  const ids = new Set(drawn.nodes.map((n) => n.id));
  for (const e of drawn.edges) {
    expect(ids.has(e.from) && ids.has(e.to), `${e.from} -> ${e.to}`).toBe(true);
    expect(e.length).toBeGreaterThan(0);
  }
}

describe('routes -o html in headless Chromium', () => {
  let browser: string;
  beforeAll(() => {
    browser = chromium();
  }, 660_000);

  for (const dir of ['examples', 'test/fixtures/routes/broken', 'test/fixtures/routes/risky']) {
    it(`${dir}: every number and every hop of its path is drawn, inside the picture, without overlaps`, async () => {
      const map = buildRoutes(await manifestInventory(dir, { stderr: quiet }));
      const drawn = render(browser, routesHtml(map));
      expectDrawnWell(drawn);
      const texts = drawn.nodes.map((n) => n.text);
      for (const { number, hops } of pathLabels(map)) {
        expect(texts.some((t) => t.startsWith(number)), number).toBe(true);
        for (const hop of hops) expect(texts.some((t) => t.includes(hop)), `${number}: ${hop}`).toBe(true);
      }
      // Each finding is listed on the page, with its stable id.
      for (const f of map.findings) expect(drawn.pageText).toContain(f.id);
    }, 180_000);
  }

  it('two sources side by side: both pictures drawn, the differing numbers outlined', async () => {
    const left = buildRoutes(await manifestInventory('examples', { stderr: quiet }));
    const right = buildRoutes({ ...(await manifestInventory('test/fixtures/routes/broken', { stderr: quiet })), source: 'other' });
    const drawn = render(browser, routesHtml(compareRoutes(left, right)));
    expectDrawnWell(drawn);
    for (const n of [...left.numbers, ...right.numbers]) expect(drawn.nodes.some((d) => d.text.startsWith(n.e164 ?? n.object ?? n.id))).toBe(true);
    expect(drawn.pageText).toContain('Routes: manifests (examples) and other');
  }, 180_000);
});
