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

// The theme's buttons whose aria-label leaves out their visible text (the
// search field reads "Search Ctrl+K"; axe: label-content-name-mismatch):
// their name becomes the text a reader sees, as speech-input users say it.
window.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[aria-label]')) {
    const text = button.innerText.replace(/\s+/g, ' ').trim();
    const label = button.getAttribute('aria-label');
    if (text && !label.toLowerCase().includes(text.toLowerCase()))
      button.setAttribute('aria-label', text);
  }
});
