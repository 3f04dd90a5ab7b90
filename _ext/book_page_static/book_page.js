// Loaded by _ext/book_page.py after MathJax's configuration and before
// MathJax runs.

// A matrix (sympy's outputs, and matrices in the text, an inline
// smallmatrix too) is never line-broken or squeezed: MathJax 4 fits a
// wide table to its column by breaking or narrowing its cells, and the
// entries of neighbouring columns ran together (its own 'scroll' overflow
// does the same). Measured against a column it cannot fill, the matrix is
// typeset at its natural width, and its block scrolls sideways when wider
// than the column (book.css, div.book-matrix).
if (window.MathJax) {
  const matrix = /\\begin\{(?:[pbBvV]?|small)matrix\}/;
  const wholeMatrix = (math) => {
    if (!matrix.test(math.math) || !math.metrics) return;
    math.metrics.containerWidth = 1e6;
    const block = math.start.node && math.start.node.parentElement;
    if (block && block.matches('div.math')) block.classList.add('book-matrix');
  };
  const options = (MathJax.options = MathJax.options || {});
  options.renderActions = options.renderActions || {};
  // after MathJax measures the column (110), before it typesets (150)
  options.renderActions.bookMatrices = [
    115,
    (doc) => { for (const math of doc.math) wholeMatrix(math); },
    (math) => wholeMatrix(math),
  ];
}

// Patches of the theme's markup, for axe-core (tests/site/test_pages.py):
// * a button's decorative icons (the colour-mode button's sun, moon and
//   half circle carry a <title>) are hidden from assistive technology, so
//   the button's name is its aria-label; a button whose aria-label leaves
//   out its visible text (the search field reads "Search Ctrl+K", a cell's
//   toggle "Show code cell source") is named by that text, as speech-input
//   users say it (label-content-name-mismatch);
// * the book's title at the top of the sidebar is the page's banner, as the
//   top bar it duplicates is hidden (book.css) (region);
// * a table, matrix or figure wider than its box is marked .book-scrolls,
//   which book.css shows with a shadow on its right edge;
// * a figure wider than a phone's column scrolls in its box, which then
//   takes keyboard focus so that it can be scrolled without a pointer
//   (scrollable-region-focusable).
function patchTheme() {
  for (const button of document.querySelectorAll(
    'button[aria-label], summary[aria-label]')) {
    for (const icon of button.querySelectorAll('svg, i')) {
      for (const title of icon.querySelectorAll('title')) title.remove();
      icon.removeAttribute('aria-labelledby');
      icon.removeAttribute('role');
      icon.setAttribute('aria-hidden', 'true');
    }
    // a cell's "Show code cell source" toggle is named by what it shows
    const text = button.innerText.replace(/\s+/g, ' ').trim();
    const label = button.getAttribute('aria-label');
    if (text && !label.toLowerCase().includes(text.toLowerCase()))
      button.removeAttribute('aria-label');
  }
  // Sphinx lays a long signature's parameters out as a <dl> of <dd> only,
  // which is not a definition list (axe: definition-list)
  for (const list of document.querySelectorAll('dt.sig > dl'))
    list.setAttribute('role', 'presentation');
  const brand = document.querySelector(
    '.sidebar-primary-items__start > .sidebar-primary-item:first-child');
  if (brand && brand.querySelector('.navbar-brand'))
    brand.setAttribute('role', 'banner');
  for (const box of document.querySelectorAll(
    '.pst-scrollable-table-container, div.math.book-matrix, .cell_output'))
    box.classList.toggle('book-scrolls',
                         box.scrollWidth > box.clientWidth + 1);
  for (const box of document.querySelectorAll('.cell_output')) {
    if (!box.querySelector(':scope > img')) continue;
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'group');
      box.setAttribute('aria-label', 'figure, scrolls sideways');
    } else {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  }
}
// The themes wire only the first .primary-toggle and .secondary-toggle of
// the page, in the top bar that book.css hides: the article header's
// buttons (the navigation's and the contents') did nothing. They pass their
// click on to the wired one: the drawer opens on a phone, the sidebar
// folds on a laptop.
window.addEventListener('DOMContentLoaded', () => {
  for (const kind of ['.primary-toggle', '.secondary-toggle']) {
    const [wired, ...others] = document.querySelectorAll(kind);
    for (const button of others)
      button.addEventListener('click', (event) => {
        event.preventDefault();
        event.stopPropagation();
        wired.click();
      });
  }
});
// The patches wait until the page has been drawn once after its load (the
// figures have their size then): each lays the whole page out, and a class
// it sets restyles it, work that the first frame after parsing waited for
// before (about 0.15 s on chapter 4, on a phone's CPU slowed four times).
window.addEventListener('load', () => requestAnimationFrame(() => {
  setTimeout(() => {
    patchTheme();
    // again whenever the page changes, as when MathJax, loaded for its
    // menu, typesets it again: once per frame at most
    let patchQueued = false;
    new MutationObserver(() => {
      if (patchQueued) return;
      patchQueued = true;
      requestAnimationFrame(() => { patchQueued = false; patchTheme(); });
    }).observe(document.documentElement, {childList: true, subtree: true});
    // matrices have their width once MathJax has typeset them
    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
      MathJax.startup.promise.then(patchTheme);
  });
}));
window.addEventListener('resize', patchTheme);
