// A stacked bar chart drawn as inline SVG: one bar per day, one segment per series. No library, no network.
const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

/** A round step for the value axis: 1, 2 or 5 times a power of ten, giving about four grid lines. */
function niceStep(max) {
  const raw = Math.max(1, max) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return Math.max(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p);
}

/**
 * days: ["2026-11-01", …]; series: [{ key, label, color, counts: [n per day] }] in stacking order (bottom first).
 * Returns an <svg> element; every segment carries data-day, data-key and data-count, and a <title>.
 */
export function stackedBars(days, series, { width = 860, height = 260 } = {}) {
  const pad = { left: 40, right: 8, top: 10, bottom: 26 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = days.map((_, i) => series.reduce((n, s) => n + (s.counts[i] ?? 0), 0));
  const step = niceStep(Math.max(...totals, 0));
  const top = Math.max(step, Math.ceil(Math.max(...totals, 0) / step) * step);
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const band = plotW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(28, band * 0.7));

  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'events per day' });
  for (let v = 0; v <= top; v += step) {
    svg.append(el('line', { class: 'grid-line', x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    svg.append(el('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  const labelEvery = Math.ceil(days.length / 10);
  days.forEach((day, i) => {
    const x = pad.left + i * band + (band - barW) / 2;
    let base = 0;
    const g = el('g', { 'data-day': day, 'data-total': totals[i] });
    for (const s of series) {
      const n = s.counts[i] ?? 0;
      if (n === 0) continue;
      const rect = el('rect', {
        x, y: y(base + n), width: barW, height: Math.max(1, y(base) - y(base + n)), fill: s.color,
        'data-day': day, 'data-key': s.key, 'data-count': n,
      }, el('title', {}, `${day} — ${s.label}: ${n}`));
      g.append(rect);
      base += n;
    }
    svg.append(g);
    // every few days, and the last one (unless it would crowd its neighbour)
    if ((i % labelEvery === 0 && days.length - 1 - i >= labelEvery / 2) || i === days.length - 1) {
      svg.append(el('text', { x: pad.left + i * band + band / 2, y: height - 8, 'text-anchor': 'middle' }, day.slice(5)));
    }
  });
  return svg;
}
