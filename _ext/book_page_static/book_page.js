// Loaded by _ext/book_page.py after MathJax's configuration and before
// MathJax runs.

// A matrix (sympy's outputs, and matrices in the text) is never line-broken:
// MathJax 4 would break its cells, and entries of neighbouring columns ran
// together. It scrolls sideways in its own box when wider than the column.
if (window.MathJax) {
  const startup = (MathJax.startup = MathJax.startup || {});
  const ready = startup.ready;
  startup.ready = () => {
    if (ready) ready();
    else MathJax.startup.defaultReady();
    const matrix = /\\begin\{[pbBvV]?matrix\}/;
    for (const jax of MathJax.startup.document.inputJax || [])
      jax.postFilters.add(({math, data}) => {
        if (matrix.test(math.math)) data.attributes.set('overflow', 'scroll');
      });
  };
}

// Patches of the theme's markup, for axe-core (tests/site/test_page.py):
// * a button's decorative icons (the colour-mode button's sun, moon and
//   half circle carry a <title>) are hidden from assistive technology, so
//   the button's name is its aria-label; a button whose aria-label leaves
//   out its visible text (the search field reads "Search Ctrl+K", a cell's
//   toggle "Show code cell source") is named by that text, as speech-input
//   users say it (label-content-name-mismatch);
// * the book's title at the top of the sidebar is the page's banner, as the
//   top bar it duplicates is hidden (book.css) (region);
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
  const brand = document.querySelector(
    '.sidebar-primary-items__start > .sidebar-primary-item:first-child');
  if (brand && brand.querySelector('.navbar-brand'))
    brand.setAttribute('role', 'banner');
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
// again at load: the theme's icon script replaces <i> icons by <svg> ones
// after the document is parsed, and the figures have their size then
window.addEventListener('DOMContentLoaded', patchTheme);
window.addEventListener('load', patchTheme);
window.addEventListener('resize', patchTheme);
