// What a careful typesetter would not let through, measured in the page
// after MathJax has typeset it. Returns {fault: [where, ...]} for
// tests/site/test_pages.py; every list must be empty.
async ({minFigurePx}) => {
  const short = (t) => (t || '').replace(/\s+/g, ' ').trim().slice(0, 70);
  const visible = (e) => e.checkVisibility({visibilityProperty: true});
  const out = {matrices: [], touching: [], labels: [], clipped: [],
               punctuation: [], figureText: [], altPaths: [],
               counted: {matrices: 0, printed: 0, inlineMaths: 0,
                         figures: 0, texts: 0}};

  // Matrix outputs: a matrix (TeX with a matrix environment) is reflowed
  // when MathJax broke a line inside it or two cells of a row overlap, or
  // is not a matrix on the page when MathJax could not typeset it.
  // Each formula's block keeps its TeX (data-tex); the copy shown is the
  // one the reader sees.
  for (const block of document.querySelectorAll('.math[data-tex]')) {
    if (!/\\begin\{[pbBvV]?matrix\}/.test(block.dataset.tex)
        || !visible(block)) continue;  // in a collapsed cell
    const root = [...block.querySelectorAll(':scope > mjx-container')]
      .find(visible);
    out.counted.matrices++;
    // not typeset as a table at all (a TeX error), or a line broken in it
    let bad = !root || !root.querySelector('mjx-mtable')
              || root.querySelector('mjx-merror, mjx-linebox, mjx-linestack') !== null;
    for (const row of root ? root.querySelectorAll('mjx-mtr') : []) {
      const cells = [...row.children].filter((c) => c.matches('mjx-mtd'))
        .map((c) => c.getBoundingClientRect());
      for (let i = 1; i < cells.length; i++)
        if (cells[i - 1].right > cells[i].left + 0.5) bad = true;
    }
    if (bad) out.matrices.push(short(block.dataset.tex));
  }

  // Printed tables: two numbers, or a number and a word, with no space
  // between them (a column wider than its format).
  const runTogether = /\d\.\d+(?:e[-+]?\d+)?\d*\.\d|(?:nan|inf)\d|\d(?:nan|inf)\b|\d[A-Z][a-z]/;
  for (const pre of document.querySelectorAll('.cell_output pre, .output pre')) {
    out.counted.printed++;
    for (const line of pre.textContent.split('\n'))
      for (const token of line.split(/\s+/))
        if (runTogether.test(token)) out.touching.push(short(line));
  }

  // Text nodes a reader sees (maths is drawn by MathJax, not text).
  const skip = 'script, style, mjx-container, .visually-hidden, .sr-only';
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || !n.textContent.trim() || p.closest(skip) || !visible(p)) continue;
    texts.push(n);
  }
  out.counted.texts = texts.length;

  // Internal labels: eq-…, sec-…, ex-… in anything a reader reads.
  const label = /(?<![\w-])(?:eq|sec|ex)-[a-z0-9]/i;
  for (const n of texts)
    if (label.test(n.textContent)) out.labels.push(short(n.textContent));

  // Clipped text: a line of text (or a typeset formula) that ends outside
  // the nearest ancestor that clips it, or outside the window when nothing
  // scrolls it into view.
  const clipper = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o !== 'visible') return a;
    }
    return null;
  };
  const clippedBy = (rect, e) => {
    const a = clipper(e);
    if (a && a !== document.documentElement && a !== document.body) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') return false;
      const box = a.getBoundingClientRect();
      if (box.width <= 2 || box.height <= 2) return false;  // screen-reader only
      return rect.right > box.right + 1 || rect.left < box.left - 1;
    }
    return rect.right > document.documentElement.clientWidth + 1 || rect.left < -1;
  };
  // Collapsed cells count as their reader sees them, opened.
  const closed = [...document.querySelectorAll('details:not([open])')];
  for (const d of closed) d.open = true;
  const range = document.createRange();
  const fixedOrHidden = (e) => e.closest('.bd-sidebar-primary, .bd-sidebar-secondary, dialog, .search-button__wrapper');
  for (const n of texts) {
    if (fixedOrHidden(n.parentElement) || !visible(n.parentElement)) continue;
    range.selectNodeContents(n);
    for (const rect of range.getClientRects())
      // from the text's own element: a <pre> holding the text may scroll
      if (rect.width > 0 && clippedBy(rect, n)) {
        out.clipped.push(short(n.textContent)); break;
      }
  }
  for (const m of document.querySelectorAll('mjx-container')) {
    if (fixedOrHidden(m) || !visible(m)) continue;
    for (const rect of m.getClientRects())
      if (rect.width > 0 && clippedBy(rect, m)) {
        out.clipped.push('maths: ' + short(m.querySelector('mjx-assistive-mml')?.textContent)); break;
      }
  }

  // Punctuation that starts a line right after inline maths.
  for (const m of document.querySelectorAll('span.math')) {
    const c = m.querySelector('mjx-container');
    if (!c || !visible(c)) continue;
    out.counted.inlineMaths++;
    const next = m.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE) continue;
    const at = next.textContent.search(/\S/);
    if (at < 0 || !/[,.;:!?)\]]/.test(next.textContent[at])) continue;
    const rects = c.getClientRects();
    const last = rects[rects.length - 1];
    range.setStart(next, at); range.setEnd(next, at + 1);
    const p = range.getBoundingClientRect();
    if (last && p.width > 0 && p.left < last.right - 2)
      out.punctuation.push(short(next.textContent.slice(at, at + 40)));
  }

  // Figures: alt text that is a file path; text in an SVG figure smaller
  // than minFigurePx once the figure is scaled to the column.
  const path = /^\S*\.(?:png|svg|jpe?g|gif|webp)$/i;  // a file name, no words
  for (const img of document.querySelectorAll('article img')) {
    if (!visible(img)) continue;
    out.counted.figures++;
    const alt = img.getAttribute('alt') || '';
    if (!alt.trim() || path.test(alt.trim()))
      out.altPaths.push(img.getAttribute('src') + ' alt=' + JSON.stringify(alt));
    if (!/\.svg$/i.test(img.src)) continue;
    const svg = new DOMParser().parseFromString(
      await (await fetch(img.src)).text(), 'image/svg+xml').documentElement;
    const viewWidth = svg.viewBox.baseVal.width;
    const scale = img.getBoundingClientRect().width / viewWidth;
    // matplotlib draws text as paths: each text is a <g> scaled by
    // fontsize / 100 (its FONT_SCALE), preceded by a comment with the text.
    let smallest = Infinity, which = '';
    for (const g of svg.querySelectorAll('g[transform*="scale("]')) {
      const s = /scale\(([\d.]+)/.exec(g.getAttribute('transform'));
      const comment = g.previousSibling?.previousSibling;
      const px = parseFloat(s[1]) * 100 * scale;
      if (px < smallest) {
        smallest = px;
        which = comment && comment.nodeType === 8 ? comment.textContent.trim() : '';
      }
    }
    if (smallest < minFigurePx)
      out.figureText.push(img.src.split('/').pop() + ': ' +
        smallest.toFixed(1) + ' px (' + short(which) + ')');
  }
  for (const d of closed) d.open = false;
  return out;
}
